import type { VirtualMachine, VirtualMachineInstance } from '@qvirt/api';
import { ResourcePaths, isAlreadyExists, isNotFound, objectKey, patchStatus, type KubeClient, type ObjectRef } from '@qvirt/kube';
import { errFields, type Logger } from '@qvirt/log';
import { type ReconcileResult } from '@qvirt/kube/controller';
import type { Expectations } from '../expectations.js';
import type { EventSink } from '../vmi/vmi.reconciler.js';
import { decideVmAction, desiredVmStatus, RunStrategyError, vmStatusEqual } from '@qvirt/controller';

export interface VmReconcilerOptions {
  client: KubeClient;
  vms: { get(namespace: string | undefined, name: string): VirtualMachine | undefined };
  vmis: { get(namespace: string | undefined, name: string): VirtualMachineInstance | undefined };
  expectations: Expectations;
  events: EventSink;
  logger: Logger;
}

/** Keeps a VM's VMI in line with its run strategy and mirrors the VMI into the VM's status. */
export class VmReconciler {
  constructor(private readonly o: VmReconcilerOptions) {}

  /** One look at the VM `ref`; a reconcile started after `signal` aborts (the controller stopping) does nothing. */
  async reconcile(ref: ObjectRef, signal?: AbortSignal): Promise<ReconcileResult | void> {
    const { namespace, name } = ref;
    const key = objectKey(namespace, name);
    if (signal?.aborted) return;
    const vm = this.o.vms.get(namespace, name);
    if (!vm) {
      this.o.expectations.forget(key);
      return;
    }
    let vmi = this.o.vmis.get(namespace, name);
    if (!this.o.expectations.satisfied(key)) return; // our last create/delete is not in the cache yet
    let action;
    try {
      action = decideVmAction(vm, vmi);
    } catch (err) {
      if (!(err instanceof RunStrategyError)) throw err;
      void this.o.events.event(vm, 'Warning', 'InvalidRunStrategy', err.message);
      return;
    }
    const log = { vm: name, namespace };
    switch (action.type) {
      case 'create':
        this.o.expectations.expectCreate(key, name);
        try {
          vmi = await this.o.client.create<VirtualMachineInstance>(ResourcePaths.vmis(namespace), action.vmi);
          this.o.logger.info(log, 'created VMI');
          void this.o.events.event(vm, 'Normal', 'SuccessfulCreate', `Started the virtual machine by creating the new virtual machine instance ${name}`);
        } catch (err) {
          this.o.expectations.observeCreate(key, name);
          if (isAlreadyExists(err)) return { requeueAfterMs: 1000 }; // the old one is still terminating
          void this.o.events.event(vm, 'Warning', 'FailedCreate', `Error creating virtual machine instance: ${(err as Error).message}`);
          throw err;
        }
        break;
      case 'delete':
        this.o.expectations.expectDelete(key, name);
        try {
          await this.o.client.delete(ResourcePaths.vmis(namespace, name), { propagationPolicy: 'Background', preconditions: { uid: vmi!.metadata.uid! } });
          this.o.logger.info({ ...log, why: action.why }, 'deleted VMI');
          void this.o.events.event(
            vm,
            'Normal',
            'SuccessfulDelete',
            `Stopped the virtual machine by deleting the virtual machine instance ${vmi!.metadata.uid}: ${action.why}`,
          );
        } catch (err) {
          this.o.expectations.observeDelete(key, name);
          if (!isNotFound(err)) throw err;
        }
        break;
      case 'halt':
        await this.o.client.patch(ResourcePaths.vms(namespace, name), {
          metadata: { resourceVersion: vm.metadata.resourceVersion },
          spec: { runStrategy: 'Halted', running: null },
        });
        this.o.logger.info({ ...log, why: action.why }, 'runStrategy Once finished; VM set to Halted');
        return;
      case 'none':
        break;
    }
    await this.writeStatus(vm, action.type === 'delete' ? markDeleting(vmi) : vmi);
  }

  private async writeStatus(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined): Promise<void> {
    try {
      await patchStatus<VirtualMachine>({
        client: this.o.client,
        path: ResourcePaths.vms(vm.metadata.namespace!, vm.metadata.name!),
        current: vm,
        build: (current) => {
          const want = desiredVmStatus(current, vmi);
          if (vmStatusEqual(current.status, want)) return undefined;
          return {
            created: want.created,
            ready: want.ready,
            printableStatus: want.printableStatus,
            runStrategy: want.runStrategy,
            observedGeneration: want.observedGeneration,
          };
        },
      });
    } catch (err) {
      if (isNotFound(err)) return;
      this.o.logger.warn({ vm: vm.metadata.name, namespace: vm.metadata.namespace, ...errFields(err) }, 'VM status update failed');
      throw err;
    }
  }
}

function markDeleting(vmi: VirtualMachineInstance | undefined): VirtualMachineInstance | undefined {
  return vmi && { ...vmi, metadata: { ...vmi.metadata, deletionTimestamp: new Date().toISOString() } };
}
