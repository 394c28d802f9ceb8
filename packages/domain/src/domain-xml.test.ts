import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { qatVmi, scenarios } from './testing/fixtures.js';
import { buildDomain } from './build-domain.js';
import { assignDevices } from './device-assignment.js';
import { parseDomainXml } from './domain-xml-parse.js';
import { renderDomainXml } from './domain-xml.js';
import { DomainParseError } from './errors.js';
import { renderDomain } from './render-domain.js';

describe('renderDomainXml / parseDomainXml', () => {
  it.each(scenarios().map((s) => [s.name, s] as const))('round-trips %s', (_name, s) => {
    const model = buildDomain(s.vmi, assignDevices(s.vmi, s.allocation), s.facts);
    expect(parseDomainXml(renderDomainXml(model))).toStrictEqual(model);
  });

  it('writes the QAT hostdev exactly as the DESIGN contract says', () => {
    const xml = renderDomain(qatVmi(1), new Map([['qat.intel.com/generic', ['0000:3d:01.1']]]), { kvm: false });
    const doc = create(xml).end({ format: 'object' }) as { domain: { devices: { hostdev: unknown } } };
    expect(doc.domain.devices.hostdev).toEqual({
      '@mode': 'subsystem',
      '@type': 'pci',
      '@managed': 'no',
      source: { address: { '@domain': '0x0000', '@bus': '0x3d', '@slot': '0x01', '@function': '0x1' } },
      alias: { '@name': 'ua-qat-qat1' },
    });
    expect(xml).toContain('<memoryBacking>\n    <locked/>\n  </memoryBacking>');
    expect(xml).toContain('<hard_limit unit="KiB">1179648</hard_limit>');
    expect(xml).toContain('<domain type="qemu">');
  });

  it('escapes text from the VMI instead of injecting markup', () => {
    const vmi = qatVmi(0);
    vmi.spec.domain.firmware!.kernelBoot!.kernelArgs = 'console=ttyS0 </cmdline><evil/> & more';
    const xml = renderDomain(vmi, new Map(), { kvm: false });
    expect(xml).not.toContain('<evil/>');
    expect(parseDomainXml(xml).os.cmdline).toBe('console=ttyS0 </cmdline><evil/> & more');
  });

  it('reads the extras libvirt adds (guest addresses, currentMemory, units) and ignores them', () => {
    const xml = `<domain type='kvm'><name>default_x</name><uuid>5d307ca9-b3ef-428c-8861-06e72d69f223</uuid>
      <memory unit='MiB'>128</memory><currentMemory unit='KiB'>131072</currentMemory><vcpu placement='static'>2</vcpu>
      <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='hd'/></os>
      <devices><controller type='pci' index='0' model='pcie-root'/>
        <hostdev mode='subsystem' type='pci' managed='no'><driver name='vfio'/><source><address domain='0x0000' bus='0x3d' slot='0x01' function='0x1'/></source>
        <alias name='ua-qat-qat1'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></hostdev></devices></domain>`;
    const m = parseDomainXml(xml);
    expect(m.memoryKiB).toBe(131072);
    expect(m.vcpus).toBe(2);
    expect(m.devices.hostdevs).toEqual([{ source: { domain: 0, bus: 0x3d, slot: 1, function: 1 }, alias: 'ua-qat-qat1' }]);
    expect(m.features.acpi).toBe(false);
  });

  it('rejects what is not domain XML with a DomainParseError', () => {
    expect(() => parseDomainXml('<domain')).toThrow(DomainParseError);
    expect(() => parseDomainXml('<network/>')).toThrow('root element is <network>, expected <domain>');
    expect(() => parseDomainXml("<domain type='xen'/>")).toThrow("<domain type='xen'>: expected kvm or qemu");
    expect(() => parseDomainXml("<domain type='qemu'><name>x</name></domain>")).toThrow('<domain> has no <uuid>');
  });
});
