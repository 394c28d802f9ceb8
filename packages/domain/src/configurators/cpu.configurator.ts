import { DomainRenderError } from '../errors.js';
import type { CpuModel } from '../domain-model.js';
import type { DomainConfigurator } from './configurator.js';

/** QEMU's own default x86_64 model: emulated by TCG everywhere and boots any x86_64 kernel. */
export const EMULATED_CPU_MODEL = 'qemu64';
/** Upper bound on vCPUs (QEMU's q35 limit in recent releases); beyond it the input is wrong. */
export const MAX_VCPUS = 1024;

const MODEL_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HOST_MODES = ['host-passthrough', 'host-model'] as const;

/**
 * vCPUs = sockets x cores x threads (each defaults to 1). The CPU model: with KVM the host's CPU
 * (`host-passthrough`, KubeVirt's usual choice); under emulation a model TCG implements
 * (`qemu64`), because `-cpu host` needs KVM.
 */
export const cpuConfigurator: DomainConfigurator = {
  name: 'cpu',
  configure(vmi, domain, { facts }) {
    const cpu = vmi.spec?.domain?.cpu ?? {};
    const sockets = count(cpu.sockets, 'spec.domain.cpu.sockets');
    const cores = count(cpu.cores, 'spec.domain.cpu.cores');
    const threads = count(cpu.threads, 'spec.domain.cpu.threads');
    const vcpus = sockets * cores * threads;
    if (vcpus > MAX_VCPUS) {
      throw new DomainRenderError('spec.domain.cpu', `sockets x cores x threads = ${vcpus} vCPUs, more than the maximum ${MAX_VCPUS}`);
    }
    domain.vcpus = vcpus;
    const topology = { sockets, cores, threads };

    const requested = cpu.model;
    let model: CpuModel;
    if (requested === undefined || requested === '') {
      model = facts.kvm ? { mode: 'host-passthrough', topology } : { mode: 'custom', model: EMULATED_CPU_MODEL, topology };
    } else if ((HOST_MODES as readonly string[]).includes(requested)) {
      if (!facts.kvm) {
        throw new DomainRenderError(
          'spec.domain.cpu.model',
          `"${requested}" needs KVM, which this node does not offer (domain type qemu); leave it unset or name a model such as ${EMULATED_CPU_MODEL}`,
        );
      }
      model = { mode: requested as CpuModel['mode'], topology };
    } else if (typeof requested === 'string' && MODEL_RE.test(requested)) {
      model = { mode: 'custom', model: requested, topology };
    } else {
      throw new DomainRenderError('spec.domain.cpu.model', `${JSON.stringify(requested)} is not a CPU model name`);
    }
    domain.cpu = model;
  },
};

function count(value: number | undefined, field: string): number {
  if (value === undefined || value === null) return 1;
  if (!Number.isInteger(value) || value < 1 || value > MAX_VCPUS) {
    throw new DomainRenderError(field, `${JSON.stringify(value)} must be an integer from 1 to ${MAX_VCPUS}`);
  }
  return value;
}
