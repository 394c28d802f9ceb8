import { describe, expect, it } from 'vitest';
import { launcherSocketPath, libvirtSocketPath, pciResourceEnvName } from './constants.js';

describe('pciResourceEnvName', () => {
  it("follows KubeVirt: upper case, '/' and '.' to '_', hyphens kept", () => {
    expect(pciResourceEnvName('qat.intel.com/generic')).toBe('PCI_RESOURCE_QAT_INTEL_COM_GENERIC');
    expect(pciResourceEnvName('intel.com/qat')).toBe('PCI_RESOURCE_INTEL_COM_QAT');
    expect(pciResourceEnvName('qat.intel.com/asym-dc')).toBe('PCI_RESOURCE_QAT_INTEL_COM_ASYM-DC');
  });
  it('builds the node paths of docs/architecture.md', () => {
    expect(launcherSocketPath('/var/run/kubevirt', 'u1')).toBe('/var/run/kubevirt/sockets/u1.sock');
    expect(libvirtSocketPath('/var/run/kubevirt', 'u1')).toBe('/var/run/kubevirt/u1/libvirt-sock');
  });
});
