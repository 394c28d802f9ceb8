import { checkedCpuTopology } from '@qvirt/api';
import { DomainRenderError, fact } from '../errors.js';
import type { CpuModel } from '../domain-model.js';
import type { DomainConfigurator } from './configurator.js';

/** QEMU's own default x86_64 model: emulated by TCG everywhere and boots any x86_64 kernel. */
export const EMULATED_CPU_MODEL = 'qemu64';

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
    const { sockets, cores, threads, vcpus } = fact(() => checkedCpuTopology(cpu));
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
