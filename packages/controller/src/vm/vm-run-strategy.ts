import {
  ConditionTypes,
  GROUP_VERSION,
  Labels,
  type PrintableStatus,
  type RunStrategy,
  type VirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachineStatus,
} from '@qvirt/api';

export class RunStrategyError extends Error {
  override name = 'RunStrategyError';
}

/** spec.runStrategy, else the legacy spec.running (true -> Always, false/unset -> Halted). Both set is invalid (KubeVirt). */
export function effectiveRunStrategy(vm: VirtualMachine): RunStrategy {
  const { running, runStrategy } = vm.spec;
  if (running !== undefined && runStrategy !== undefined) {
    throw new RunStrategyError(`VirtualMachine ${vm.metadata.namespace}/${vm.metadata.name}: spec.running and spec.runStrategy are mutually exclusive`);
  }
  if (runStrategy !== undefined) return runStrategy;
  return running === true ? 'Always' : 'Halted';
}

export type VmAction =
  | { type: 'none'; why: string }
  | { type: 'create'; vmi: VirtualMachineInstance }
  | { type: 'delete'; why: string }
  /** runStrategy Once finished: the VM becomes Halted so it is not started again. */
  | { type: 'halt'; why: string };

/** Is this VMI the VM's (owner reference with the VM's uid)? */
export function isOwnedBy(vmi: VirtualMachineInstance, vm: VirtualMachine): boolean {
  return (vmi.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === vm.metadata.uid);
}

/** The VMI a VM starts: same name, template labels/annotations/spec, controller owner reference to the VM. */
export function vmiFromTemplate(vm: VirtualMachine): VirtualMachineInstance {
  const t = vm.spec.template;
  return {
    apiVersion: GROUP_VERSION,
    kind: 'VirtualMachineInstance',
    metadata: {
      name: vm.metadata.name!,
      namespace: vm.metadata.namespace!,
      labels: { ...(t.metadata?.labels ?? {}), [Labels.vmiName]: vm.metadata.name! },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [
        { apiVersion: GROUP_VERSION, kind: 'VirtualMachine', name: vm.metadata.name!, uid: vm.metadata.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: structuredClone(t.spec),
  };
}

/**
 * What the VM controller does given the VM and the VMI of the same name (if any):
 * - Always: keep one running; a finished (Succeeded or Failed) VMI is deleted, then recreated
 * - RerunOnFailure: create when absent; a Failed VMI is deleted and recreated, a Succeeded one stays
 * - Once: create when absent; when it finishes the VM is switched to Halted
 * - Manual: never start or stop by itself
 * - Halted: delete any VMI
 * A VMI being deleted is waited for; a VMI not owned by this VM is never touched.
 */
export function decideVmAction(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined): VmAction {
  if (vm.metadata.deletionTimestamp) {
    if (vmi && isOwnedBy(vmi, vm) && !vmi.metadata.deletionTimestamp) return { type: 'delete', why: 'VM is being deleted' };
    return { type: 'none', why: 'VM is being deleted' };
  }
  const strategy = effectiveRunStrategy(vm);
  if (vmi && !isOwnedBy(vmi, vm)) return { type: 'none', why: `VMI ${vmi.metadata.name} exists but is not owned by this VM` };
  if (vmi?.metadata.deletionTimestamp) return { type: 'none', why: 'waiting for the old VMI to be deleted' };
  const phase = vmi?.status?.phase;
  switch (strategy) {
    case 'Halted':
      return vmi ? { type: 'delete', why: 'runStrategy Halted' } : { type: 'none', why: 'halted' };
    case 'Manual':
      return { type: 'none', why: 'runStrategy Manual: started and stopped by the user only' };
    case 'Always':
      if (!vmi) return { type: 'create', vmi: vmiFromTemplate(vm) };
      if (phase === 'Succeeded' || phase === 'Failed') return { type: 'delete', why: `runStrategy Always: VMI ${phase}, restarting` };
      return { type: 'none', why: 'running' };
    case 'RerunOnFailure':
      if (!vmi) return { type: 'create', vmi: vmiFromTemplate(vm) };
      if (phase === 'Failed') return { type: 'delete', why: 'runStrategy RerunOnFailure: VMI Failed, restarting' };
      return { type: 'none', why: phase === 'Succeeded' ? 'VMI succeeded; not restarted' : 'running' };
    case 'Once':
      if (!vmi) return { type: 'create', vmi: vmiFromTemplate(vm) };
      if (phase === 'Succeeded' || phase === 'Failed') return { type: 'halt', why: `runStrategy Once: VMI ${phase}` };
      return { type: 'none', why: 'running' };
  }
}

/** VM status from the VM and its VMI (KubeVirt's printableStatus subset). */
export function desiredVmStatus(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined): VirtualMachineStatus {
  let strategy: RunStrategy | undefined;
  try {
    strategy = effectiveRunStrategy(vm);
  } catch {
    strategy = undefined;
  }
  const owned = vmi !== undefined && isOwnedBy(vmi, vm);
  const ready = owned && (vmi.status?.conditions ?? []).some((c) => c.type === ConditionTypes.ready && c.status === 'True');
  return {
    ...(vm.status ?? {}),
    created: owned,
    ready,
    printableStatus: printableStatus(vm, owned ? vmi : undefined, strategy),
    ...(strategy ? { runStrategy: strategy } : {}),
    ...(vm.metadata.generation !== undefined ? { observedGeneration: vm.metadata.generation } : {}),
  };
}

function printableStatus(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, strategy: RunStrategy | undefined): PrintableStatus {
  if (vm.metadata.deletionTimestamp) return 'Terminating';
  if (!vmi) return strategy === 'Halted' || strategy === 'Manual' || strategy === undefined ? 'Stopped' : 'Starting';
  if (vmi.metadata.deletionTimestamp) return 'Stopping';
  const unschedulable = (vmi.status?.conditions ?? []).some(
    (c) => c.type === ConditionTypes.podScheduled && c.status === 'False' && c.reason === 'Unschedulable',
  );
  switch (vmi.status?.phase ?? 'Pending') {
    case 'Pending':
    case 'Scheduling':
      return unschedulable ? 'ErrorUnschedulable' : 'Starting';
    case 'Scheduled':
      return 'Starting';
    case 'Running':
      return 'Running';
    case 'Succeeded':
      return 'Stopped';
    case 'Failed':
      return strategy === 'Always' || strategy === 'RerunOnFailure' ? 'Starting' : 'Stopped';
    default:
      return 'Unknown';
  }
}

export function vmStatusEqual(a: VirtualMachineStatus | undefined, b: VirtualMachineStatus): boolean {
  const pick = (s: VirtualMachineStatus | undefined) =>
    JSON.stringify([s?.created ?? false, s?.ready ?? false, s?.printableStatus, s?.runStrategy, s?.observedGeneration]);
  return pick(a) === pick(b);
}
