// Shared by this package's tests only (excluded from the build).
import { emptyClusterConfig, type ClusterConfig, type PermittedHostDevices, type VirtualMachineInstance } from '@qvirt/api';
import { qatDevices, vmiFixture } from '@qvirt/api/testing';

export const gatesOn = (): ClusterConfig => emptyClusterConfig(['QAT', 'HostDevices']);
export const gatesOff = (): ClusterConfig => emptyClusterConfig();
export const withPermitted = (permittedHostDevices: PermittedHostDevices, gates = ['QAT', 'HostDevices']): ClusterConfig => ({
  ...emptyClusterConfig(gates),
  permittedHostDevices,
});

/** examples/vmi-qat.yaml, freshly built for each test. */
export function vmiQat(): VirtualMachineInstance {
  return vmiFixture({ qats: 1 });
}

/** n QATs named qat0..qat<n-1>. */
export function qats(n: number, deviceName = 'qat.intel.com/generic'): { name: string; deviceName: string }[] {
  return qatDevices(n, { deviceName, firstIndex: 0 });
}

/** A small seeded PRNG (mulberry32) so a failure reproduces. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
