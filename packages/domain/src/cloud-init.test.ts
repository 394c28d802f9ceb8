import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '@qvirt/api';
import { plainVmi } from './testing/fixtures.js';
import { cloudInitDisk, guestHostname, parseCloudInitDisk } from './cloud-init.js';

function withVolumes(volumes: unknown[], meta: Partial<VirtualMachineInstance['metadata']> = {}): VirtualMachineInstance {
  const vmi = plainVmi();
  vmi.metadata = { ...vmi.metadata, name: 'vmi-nocloud', namespace: 'default', uid: 'u-1', ...meta };
  (vmi.spec as { volumes?: unknown }).volumes = volumes;
  return vmi;
}

describe('cloudInitDisk', () => {
  it("NoCloud: label cidata, KubeVirt's meta-data (instance-id = the domain UUID, local-hostname = the VMI name), user-data as given", () => {
    const vmi = withVolumes([{ name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config\npassword: x\n' } }]);
    vmi.spec.domain.firmware = { uuid: '5D307CA9-B3EF-428C-8861-06E72D69F223' };
    expect(cloudInitDisk(vmi)).toEqual({
      volumeName: 'cloudinitdisk',
      kind: 'noCloud',
      label: 'cidata',
      isoPath: '/var/run/kubevirt-ephemeral-disks/cloud-init-data/default/vmi-nocloud/noCloud.iso',
      files: {
        'meta-data': '{"instance-id":"5d307ca9-b3ef-428c-8861-06e72d69f223","local-hostname":"vmi-nocloud"}',
        'user-data': '#cloud-config\npassword: x\n',
      },
    });
  });

  it('decodes userDataBase64 and networkDataBase64; network-config only when given', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const disk = cloudInitDisk(
      withVolumes([{ name: 'ci', cloudInitNoCloud: { userDataBase64: b64('#!/bin/sh\necho hi\n'), networkDataBase64: b64('version: 2\n') } }]),
    );
    expect(disk?.files['user-data']).toBe('#!/bin/sh\necho hi\n');
    expect(disk?.files['network-config']).toBe('version: 2\n');
    expect(Object.keys(cloudInitDisk(withVolumes([{ name: 'ci', cloudInitNoCloud: { userData: 'x' } }]))!.files)).toEqual(['meta-data', 'user-data']);
  });

  it("ConfigDrive: label config-2, OpenStack's layout, KubeVirt's meta_data.json", () => {
    const disk = cloudInitDisk(withVolumes([{ name: 'cd', cloudInitConfigDrive: { userData: 'u', networkData: '{"links":[]}' } }]));
    expect(disk?.label).toBe('config-2');
    expect(disk?.isoPath).toBe('/var/run/kubevirt-ephemeral-disks/cloud-init-data/default/vmi-nocloud/configdrive.iso');
    const meta = JSON.parse(disk!.files['openstack/latest/meta_data.json']!) as Record<string, string>;
    expect(meta).toMatchObject({ instance_id: 'vmi-nocloud.default', local_hostname: 'vmi-nocloud', hostname: 'vmi-nocloud' });
    expect(meta.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(disk?.files['openstack/latest/user_data']).toBe('u');
    expect(disk?.files['openstack/latest/network_data.json']).toBe('{"links":[]}');
  });

  it('the instance-id is stable for a VMI and differs across VMIs', () => {
    const id = (uid: string) =>
      JSON.parse(cloudInitDisk(withVolumes([{ name: 'ci', cloudInitNoCloud: { userData: 'x' } }], { uid }))!.files['meta-data']!)['instance-id'];
    expect(id('a')).toBe(id('a'));
    expect(id('a')).not.toBe(id('b'));
  });

  it('names the field of invalid base64', () => {
    expect(() => cloudInitDisk(withVolumes([{ name: 'ci', cloudInitNoCloud: { userDataBase64: 'not base64!' } }]))).toThrow(
      'spec.volumes[0].cloudInitNoCloud.userDataBase64: is not valid base64',
    );
  });

  it('is undefined without a cloud-init volume, and total on malformed volumes', () => {
    expect(cloudInitDisk(withVolumes([{ name: 'd', containerDisk: { image: 'i:1' } }, null, 'x']))).toBeUndefined();
  });
});

describe('guestHostname (KubeVirt SanitizeHostname)', () => {
  it.each([
    ['vmi-nocloud', 'vmi-nocloud'],
    ['web.example', 'web'],
    ['a'.repeat(70), 'a'.repeat(63)],
  ])('%s -> %s', (name, want) => expect(guestHostname(withVolumes([], { name }))).toBe(want));
  it('spec.hostname wins', () => {
    const vmi = withVolumes([]);
    vmi.spec.hostname = 'web-1';
    expect(guestHostname(vmi)).toBe('web-1');
  });
});

describe('parseCloudInitDisk', () => {
  const good = cloudInitDisk(withVolumes([{ name: 'ci', cloudInitNoCloud: { userData: 'x' } }]))!;
  it('reads back what the controller writes', () => expect(parseCloudInitDisk(JSON.stringify(good))).toEqual(good));
  it.each([
    ['{', 'is not JSON'],
    [JSON.stringify({ ...good, kind: 'x' }), '.kind must be noCloud or configDrive'],
    [JSON.stringify({ ...good, label: 'config-2' }), '.label does not match its kind'],
    [JSON.stringify({ ...good, isoPath: 'rel.iso' }), '.isoPath must be an absolute path'],
    [JSON.stringify({ ...good, files: { '../etc/passwd': 'x' } }), 'must be a relative path to text'],
    [JSON.stringify({ ...good, files: { '/abs': 'x' } }), 'must be a relative path to text'],
  ])('%s -> %s', (text, message) => expect(() => parseCloudInitDisk(text)).toThrow(message));
});
