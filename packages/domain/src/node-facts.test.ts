import { describe, expect, it } from 'vitest';
import { detectKvm, kvmDecision } from './node-facts.js';

const cpuinfo = (flags: string) =>
  `processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme de pse ${flags} sse2\n\nprocessor\t: 1\nflags\t\t: fpu ${flags}\n`;

describe('detectKvm', () => {
  it('needs vmx or svm AND /dev/kvm', () => {
    expect(detectKvm({ cpuinfo: cpuinfo('vmx'), devKvmExists: true })).toBe(true);
    expect(detectKvm({ cpuinfo: cpuinfo('svm'), devKvmExists: true })).toBe(true);
    expect(detectKvm({ cpuinfo: cpuinfo('vmx'), devKvmExists: false })).toBe(false);
  });

  it('does not trust /dev/kvm alone (nested host without the flags)', () => {
    expect(kvmDecision({ cpuinfo: cpuinfo('hypervisor'), devKvmExists: true })).toEqual({
      kvm: false,
      reason: 'CPU flags show neither vmx nor svm',
    });
  });

  it('matches whole flags only', () => {
    expect(detectKvm({ cpuinfo: cpuinfo('vmxnotreally svmx'), devKvmExists: true })).toBe(false);
  });

  it('obeys a forced choice either way', () => {
    expect(detectKvm({ cpuinfo: '', devKvmExists: false, force: 'kvm' })).toBe(true);
    expect(detectKvm({ cpuinfo: cpuinfo('vmx'), devKvmExists: true, force: 'qemu' })).toBe(false);
  });
});
