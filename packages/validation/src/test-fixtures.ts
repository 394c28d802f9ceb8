// Shared by this package's tests only (excluded from the build).
import { emptyClusterConfig, type ClusterConfig, type PermittedHostDevices, type VirtualMachineInstance } from '@qvirt/api';

export const gatesOn = (): ClusterConfig => emptyClusterConfig(['QAT', 'HostDevices']);
export const gatesOff = (): ClusterConfig => emptyClusterConfig();
export const withPermitted = (permittedHostDevices: PermittedHostDevices, gates = ['QAT', 'HostDevices']): ClusterConfig => ({
  ...emptyClusterConfig(gates),
  permittedHostDevices,
});

/** A valid VMI (the shape of examples/vmi-qat.yaml), freshly built for each test. */
export function vmiQat(): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: 'vmi-qat', namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 30,
      domain: {
        cpu: { cores: 1 },
        memory: { guest: '128Mi' },
        resources: { requests: { memory: '128Mi' } },
        firmware: {
          kernelBoot: {
            kernelArgs: 'console=ttyS0 quiet',
            hostPath: { kernelPath: '/var/lib/qvirt/images/qvirt-test-guest/vmlinuz', initrdPath: '/var/lib/qvirt/images/qvirt-test-guest/initrd.img' },
          },
        },
        devices: { qats: [{ name: 'qat1', deviceName: 'qat.intel.com/generic' }] },
      },
    },
  };
}

export function qats(n: number, deviceName = 'qat.intel.com/generic'): { name: string; deviceName: string }[] {
  return Array.from({ length: n }, (_, i) => ({ name: `qat${i}`, deviceName }));
}
