import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance, VmiPhase } from '@qvirt/api';
import { vmFixture } from '../testing/fixtures.js';
import { decideVmAction, desiredVmStatus, effectiveRunStrategy, vmiFromTemplate } from './vm-run-strategy.js';

function vmiOf(vm: ReturnType<typeof vmFixture>, phase?: VmiPhase, extra: Partial<VirtualMachineInstance['metadata']> = {}): VirtualMachineInstance {
  const vmi = vmiFromTemplate(vm);
  vmi.metadata = { ...vmi.metadata, uid: 'vmi-uid', ...extra };
  if (phase) vmi.status = { phase };
  return vmi;
}

describe('run strategies', () => {
  it('spec.running maps to Always/Halted; both set is an error', () => {
    expect(effectiveRunStrategy(vmFixture({ running: true }))).toBe('Always');
    expect(effectiveRunStrategy(vmFixture({ running: false }))).toBe('Halted');
    expect(effectiveRunStrategy(vmFixture())).toBe('Halted');
    expect(() => effectiveRunStrategy(vmFixture({ running: true, runStrategy: 'Always' }))).toThrow(/mutually exclusive/);
  });

  it('the VMI: same name, template labels, owner reference to the VM', () => {
    const vmi = vmiFromTemplate(vmFixture({ runStrategy: 'Always' }));
    expect(vmi.metadata.name).toBe('vm-qat');
    expect(vmi.metadata.labels).toMatchObject({ app: 'vm-qat', 'vm.kubevirt.io/name': 'vm-qat' });
    expect(vmi.metadata.ownerReferences).toEqual([
      { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm-qat', uid: 'vm-uid', controller: true, blockOwnerDeletion: true },
    ]);
    expect(vmi.spec.domain.devices.qats).toHaveLength(2);
  });

  const table: [string, VmiPhase | 'absent', string][] = [
    ['Always', 'absent', 'create'],
    ['Always', 'Running', 'none'],
    ['Always', 'Failed', 'delete'],
    ['Always', 'Succeeded', 'delete'],
    ['RerunOnFailure', 'absent', 'create'],
    ['RerunOnFailure', 'Failed', 'delete'],
    ['RerunOnFailure', 'Succeeded', 'none'],
    ['Manual', 'absent', 'none'],
    ['Manual', 'Failed', 'none'],
    ['Halted', 'absent', 'none'],
    ['Halted', 'Running', 'delete'],
    ['Once', 'absent', 'create'],
    ['Once', 'Running', 'none'],
    ['Once', 'Failed', 'halt'],
    ['Once', 'Succeeded', 'halt'],
  ];
  it.each(table)('%s with VMI %s -> %s', (strategy, phase, action) => {
    const vm = vmFixture({ runStrategy: strategy as never });
    expect(decideVmAction(vm, phase === 'absent' ? undefined : vmiOf(vm, phase)).type).toBe(action);
  });

  it('waits for a VMI being deleted and never touches a VMI it does not own', () => {
    const vm = vmFixture({ runStrategy: 'Always' });
    expect(decideVmAction(vm, vmiOf(vm, 'Failed', { deletionTimestamp: 'x' })).type).toBe('none');
    const foreign = vmiOf(vm, 'Failed', { ownerReferences: [] });
    expect(decideVmAction(vm, foreign)).toMatchObject({ type: 'none', why: expect.stringMatching(/not owned/) });
  });

  it('a VM being deleted deletes its VMI', () => {
    const vm = vmFixture({ runStrategy: 'Always', deleting: true });
    expect(decideVmAction(vm, vmiOf(vm, 'Running')).type).toBe('delete');
  });
});

describe('VM status', () => {
  it('created/ready/printableStatus follow the VMI', () => {
    const vm = vmFixture({ runStrategy: 'Always' });
    expect(desiredVmStatus(vm, undefined)).toMatchObject({
      created: false,
      ready: false,
      printableStatus: 'Starting',
      runStrategy: 'Always',
      observedGeneration: 3,
    });
    expect(desiredVmStatus(vmFixture({ runStrategy: 'Halted' }), undefined).printableStatus).toBe('Stopped');
    const running = vmiOf(vm, 'Running');
    running.status!.conditions = [{ type: 'Ready', status: 'True' }];
    expect(desiredVmStatus(vm, running)).toMatchObject({ created: true, ready: true, printableStatus: 'Running' });
    const unsched = vmiOf(vm, 'Scheduling');
    unsched.status!.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }];
    expect(desiredVmStatus(vm, unsched).printableStatus).toBe('ErrorUnschedulable');
    expect(desiredVmStatus(vmFixture({ runStrategy: 'Manual' }), vmiOf(vmFixture({ runStrategy: 'Manual' }), 'Failed')).printableStatus).toBe('Stopped');
  });
});
