// Test fixtures for the VMI deciders (not part of the app's public face).
import type { VirtualMachineInstance, VirtualMachineInstanceStatus } from '@qvirt/api';

export function testVmi(opts: { status?: VirtualMachineInstanceStatus; qat?: boolean; deleting?: boolean; grace?: number } = {}): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: {
      name: 'vm1',
      namespace: 'ns1',
      uid: 'uid-1',
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      ...(opts.grace !== undefined ? { terminationGracePeriodSeconds: opts.grace } : {}),
      domain: {
        memory: { guest: '64Mi' },
        firmware: { kernelBoot: { kernelArgs: 'console=ttyS0', hostPath: { kernelPath: '/k', initrdPath: '/i' } } },
        devices: opts.qat ? { qats: [{ name: 'qat1', deviceName: 'qat.intel.com/generic' }] } : {},
      },
    },
    status: opts.status ?? { phase: 'Scheduled', nodeName: 'node1' },
  };
}
