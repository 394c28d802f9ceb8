import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';
import { CLOUD_INIT_MAX_BYTES, validateCloudInit } from './cloud-init.rule.js';

const ci = 'spec.volumes[0].cloudInitNoCloud';
const spec = (...volumes: unknown[]) => ({ volumes }) as Parameters<typeof validateCloudInit>[1];
const causes = (...volumes: unknown[]) => validateCloudInit('spec', spec(...volumes), gatesOn());
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('validateCloudInit', () => {
  it.each([
    ['userData', { userData: '#cloud-config\n' }],
    ['userDataBase64', { userDataBase64: b64('#cloud-config\n') }],
    ['networkData alone', { networkData: 'version: 2' }],
    ['userData and networkDataBase64', { userData: 'x', networkDataBase64: b64('version: 2') }],
    ['exactly the byte limit', { userData: 'a'.repeat(CLOUD_INIT_MAX_BYTES) }],
  ])('admits %s', (_, source) => expect(causes({ name: 'ci', cloudInitNoCloud: source })).toEqual([]));

  it.each([
    [
      { userData: 'x', userDataBase64: b64('x') },
      { type: 'FieldValueInvalid', field: ci, message: `${ci} must have only one userdatasource set.` },
    ],
    [
      { networkData: 'x', networkDataBase64: b64('x') },
      { type: 'FieldValueInvalid', field: ci, message: `${ci} must have only one networkdata source set.` },
    ],
    [{}, { type: 'FieldValueInvalid', field: ci, message: `${ci} must have at least one userdatasource or one networkdatasource set.` }],
    [
      { userData: 'a'.repeat(CLOUD_INIT_MAX_BYTES + 1) },
      { type: 'FieldValueInvalid', field: ci, message: `${ci} userdata exceeds 2048 byte limit. Should use UserDataSecretRef for larger data.` },
    ],
    [
      { userDataBase64: 'not base64!' },
      { type: 'FieldValueInvalid', field: `${ci}.userDataBase64`, message: `${ci}.userDataBase64 is not a valid base64 value.` },
    ],
    [
      { secretRef: { name: 's' } },
      {
        type: 'FieldValueNotSupported',
        field: `${ci}.secretRef`,
        message: `${ci}.secretRef: not supported by qvirt: launcher pods mount no Secrets; give the data inline (userData or userDataBase64)`,
      },
    ],
  ])("refuses %j with KubeVirt's cause", (source, cause) => expect(causes({ name: 'ci', cloudInitNoCloud: source })).toEqual([cause]));

  it('refuses a second cloud-init volume, naming the first', () => {
    expect(causes({ name: 'a', cloudInitNoCloud: { userData: 'x' } }, { name: 'b', cloudInitConfigDrive: { userData: 'y' } })).toEqual([
      {
        type: 'FieldValueNotSupported',
        field: 'spec.volumes[1].cloudInitConfigDrive',
        message: 'spec.volumes[1].cloudInitConfigDrive: only one cloud-init volume is used by the guest, and spec.volumes[0].cloudInitNoCloud is one',
      },
    ]);
  });

  it("KubeVirt's vmi-nocloud shape passes the whole spec validation (a containerDisk and a cloud-init disk)", () => {
    const vmiSpec = {
      domain: {
        devices: {
          disks: [
            { name: 'containerdisk', disk: { bus: 'virtio' } },
            { name: 'cloudinitdisk', disk: { bus: 'virtio' } },
          ],
        },
        resources: { requests: { memory: '128Mi' } },
      },
      volumes: [
        { name: 'containerdisk', containerDisk: { image: 'localhost/qvirt/containerdisk-tiny:1' } },
        { name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config\npassword: fedora\nchpasswd: { expire: False }\n' } },
      ],
    };
    expect(validateVmiSpec('spec', vmiSpec, gatesOn())).toEqual([]);
  });
});
