import { describe, expect, it } from 'vitest';
import { DeviceAdmissionError, deviceRequests, isExtendedResource, pickDevices } from './device-allocation.js';

const R = 'qat.intel.com/generic';

describe('pickDevices', () => {
  it('takes the preferred allocation when it is valid', () => {
    expect(pickDevices(R, ['a', 'b', 'c'], 2, ['c', 'a'])).toEqual(['c', 'a']);
  });
  it('ignores a preferred allocation naming a busy, duplicate or wrong number of devices', () => {
    expect(pickDevices(R, ['b', 'a', 'c'], 2, ['a', 'z'])).toEqual(['a', 'b']);
    expect(pickDevices(R, ['b', 'a', 'c'], 2, ['a', 'a'])).toEqual(['a', 'b']);
    expect(pickDevices(R, ['b', 'a', 'c'], 2, ['a'])).toEqual(['a', 'b']);
  });
  it('refuses with the kubelet wording when too few are free', () => {
    expect(() => pickDevices(R, ['a'], 2)).toThrow(
      new DeviceAdmissionError(R, `Allocate failed due to requested number of devices unavailable for ${R}. Requested: 2, Available: 1`),
    );
    expect(() => pickDevices(R, ['a'], 0)).toThrow(/must be a positive whole number/);
  });
});

describe('deviceRequests', () => {
  const served = (n: string) => n === R || n === 'devices.kubevirt.io/kvm';
  it('counts the served extended resources, limits over requests', () => {
    const m = deviceRequests({ limits: { [R]: '2', memory: '1Gi' }, requests: { [R]: '1', 'devices.kubevirt.io/kvm': '1' } }, served);
    expect([...m]).toEqual([[R, 2], ['devices.kubevirt.io/kvm', 1]]);
  });
  it('rejects a fractional device count, naming the resource', () => {
    expect(() => deviceRequests({ limits: { [R]: '500m' } }, served)).toThrow(`resource ${R}: quantity "500m" is not a whole number of devices`);
  });
  it('knows extended resource names', () => {
    expect(isExtendedResource(R)).toBe(true);
    expect(isExtendedResource('memory')).toBe(false);
    expect(isExtendedResource('kubernetes.io/foo')).toBe(false);
  });
});
