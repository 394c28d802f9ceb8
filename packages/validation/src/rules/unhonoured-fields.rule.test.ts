import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';

const base = (): { domain: Record<string, unknown> } & Record<string, unknown> => ({ domain: { memory: { guest: '1Gi' }, devices: {} } });

describe('fields qvirt admits in the schema but does not act on', () => {
  it.each<[string, (s: ReturnType<typeof base>) => void, string, string]>([
    [
      'dedicated CPUs',
      (s) => (s.domain['cpu'] = { cores: 2, dedicatedCpuPlacement: true }),
      'spec.domain.cpu.dedicatedCpuPlacement',
      'launcher pods get no dedicated CPUs',
    ],
    ['an SMBIOS serial', (s) => (s.domain['firmware'] = { serial: 'abc-123' }), 'spec.domain.firmware.serial', 'the guest gets no SMBIOS serial number'],
    ['a hostname without cloud-init', (s) => (s['hostname'] = 'web-1'), 'spec.hostname', 'only a cloud-init disk passes a hostname to the guest yet'],
    [
      'EFI',
      (s) => (s.domain['firmware'] = { bootloader: { efi: { secureBoot: false } } }),
      'spec.domain.firmware.bootloader.efi',
      'guests boot with BIOS only',
    ],
  ])('refuses %s, naming the field', (_, change, field, why) => {
    const spec = base();
    change(spec);
    expect(validateVmiSpec('spec', spec, gatesOn())).toEqual([
      { type: 'FieldValueNotSupported', field, message: expect.stringContaining(`${field}: not supported by qvirt: ${why}`) },
    ]);
  });

  it('admits the same fields where they ask for nothing qvirt lacks', () => {
    const spec = base();
    spec.domain['cpu'] = { cores: 2, dedicatedCpuPlacement: false };
    spec.domain['firmware'] = { uuid: '5d307ca9-b3ef-428c-8861-06e72d69f223' };
    expect(validateVmiSpec('spec', spec, gatesOn())).toEqual([]);
  });

  it("admits a hostname with a cloud-init disk, which carries it to the guest (its meta-data's local-hostname)", () => {
    const spec = base();
    spec['hostname'] = 'web-1';
    spec['volumes'] = [{ name: 'ci', cloudInitNoCloud: { userData: '#cloud-config' } }];
    spec.domain['devices'] = { disks: [{ name: 'ci', disk: { bus: 'virtio' } }] };
    expect(validateVmiSpec('spec', spec, gatesOn())).toEqual([]);
  });

  it('names the field under a VM template too', () => {
    const spec = base();
    spec['hostname'] = 'web-1';
    expect(validateVmiSpec('spec.template.spec', spec, gatesOn()).map((c) => c.field)).toEqual(['spec.template.spec.hostname']);
  });
});
