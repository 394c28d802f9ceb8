import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateDisks } from './disks.rule.js';

const vol = (name: string) => ({ name, containerDisk: { image: 'quay.io/containerdisks/x' } });
const d = 'spec.domain.devices.disks';

describe('validateDisks', () => {
  it('accepts disks that each name a volume', () => {
    const spec = {
      domain: {
        devices: {
          disks: [
            { name: 'root', disk: { bus: 'virtio' as const } },
            { name: 'cd', cdrom: {} },
          ],
        },
      },
      volumes: [vol('root'), vol('cd')],
    };
    expect(validateDisks('spec', spec, gatesOn())).toEqual([]);
  });

  it("reports a disk whose volume does not exist (KubeVirt's wording)", () => {
    expect(validateDisks('spec', { domain: { devices: { disks: [{ name: 'root' }] } } }, gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: `${d}[0].name`, message: `${d}[0].name 'root' not found.` },
    ]);
  });

  it('reports duplicate disk names on the later disk', () => {
    const spec = { domain: { devices: { disks: [{ name: 'root' }, { name: 'root' }] } }, volumes: [vol('root')] };
    expect(validateDisks('spec', spec, gatesOn())).toEqual([
      { type: 'FieldValueDuplicate', field: `${d}[1].name`, message: `${d}[1] and ${d}[0] must not have the same name "root"` },
    ]);
  });

  it('allows one target type per disk and one device per boot order', () => {
    const spec = {
      domain: {
        devices: {
          disks: [
            { name: 'a', disk: {}, cdrom: {}, bootOrder: 1 },
            { name: 'b', bootOrder: 1 },
          ],
        },
      },
      volumes: [vol('a'), vol('b')],
    };
    expect(validateDisks('spec', spec, gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: `${d}[0]`, message: `${d}[0] can only have a single target type defined` },
      { type: 'FieldValueInvalid', field: `${d}[1].bootOrder`, message: `Boot order for ${d}[1].bootOrder already set for a different device.` },
    ]);
  });
});

describe("disk names (KubeVirt's DNS-1123 label check, its message as the cause)", () => {
  const labelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const withDisk = (name: string) => ({ domain: { devices: { disks: [{ name }] } }, volumes: [vol(name)] });

  it.each(['root', 'disk0', '0', 'my-disk', 'a'.repeat(63)])('admits %j', (name) => {
    expect(validateDisks('spec', withDisk(name), gatesOn())).toEqual([]);
  });

  it.each<[string, string]>([
    ['GPU1', labelMessage],
    ['hostdev_name0', labelMessage],
    ['my.disk', 'must not contain dots'],
    ['-root', labelMessage],
    ['My Disk', labelMessage],
    ['', labelMessage],
    ['a'.repeat(64), 'must be no more than 63 characters'],
  ])('refuses %j', (name, message) => {
    expect(validateDisks('spec', withDisk(name), gatesOn())).toEqual([{ type: 'FieldValueInvalid', field: `${d}[0].name`, message }]);
  });
});
