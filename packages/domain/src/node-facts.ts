/** What the node offers the domain; gathered at the edge (main.ts) and passed in. */
export interface NodeFacts {
  /** Hardware virtualisation usable: domain type `kvm`, else `qemu` (TCG emulation). */
  kvm: boolean;
  /** Serial console to this file; a pty when absent. */
  consoleLogPath?: string;
  /** QEMU binary for `<emulator>`; libvirt picks one when absent. */
  emulator?: string;
}

export interface KvmProbe {
  /** Contents of /proc/cpuinfo. */
  cpuinfo: string;
  devKvmExists: boolean;
  /** The user's override (`--kvm` / `--no-kvm`). */
  force?: 'kvm' | 'qemu';
}

export interface KvmDecision {
  kvm: boolean;
  reason: string;
}

/**
 * KVM only when the CPU advertises vmx/svm AND /dev/kvm exists. /dev/kvm alone lies on nested
 * hosts without those flags: KVM_CREATE_VM succeeds but the vCPU never runs guest code.
 */
export function kvmDecision(probe: KvmProbe): KvmDecision {
  if (probe.force === 'kvm') return { kvm: true, reason: 'forced with --kvm' };
  if (probe.force === 'qemu') return { kvm: false, reason: 'forced with --no-kvm' };
  const flag = virtualizationFlag(probe.cpuinfo);
  if (flag === undefined) return { kvm: false, reason: 'CPU flags show neither vmx nor svm' };
  if (!probe.devKvmExists) return { kvm: false, reason: `CPU has ${flag} but /dev/kvm does not exist` };
  return { kvm: true, reason: `CPU has ${flag} and /dev/kvm exists` };
}

export function detectKvm(probe: KvmProbe): boolean {
  return kvmDecision(probe).kvm;
}

function virtualizationFlag(cpuinfo: string): 'vmx' | 'svm' | undefined {
  for (const line of cpuinfo.split('\n')) {
    const m = /^flags\s*:(.*)$/.exec(line);
    if (!m) continue;
    const flags = m[1]!.trim().split(/\s+/);
    if (flags.includes('vmx')) return 'vmx';
    if (flags.includes('svm')) return 'svm';
  }
  return undefined;
}
