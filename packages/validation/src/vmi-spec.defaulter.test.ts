import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './json-patch.js';
import { gatesOn, vmiQat } from './testing/fixtures.js';
import { defaultVm, defaultVmi } from './vmi-spec.defaulter.js';

const vmi = (spec: unknown) => ({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'v' }, spec });

describe('defaultVmi', () => {
  it("adds KubeVirt's foreground finalizer once, keeping the user's finalizers", () => {
    const withOthers = { ...vmiQat(), metadata: { name: 'v', finalizers: ['example.com/keep'] } };
    const out = applyJsonPatch(withOthers, defaultVmi(withOthers, gatesOn())) as { metadata: { finalizers: string[] } };
    expect(out.metadata.finalizers).toEqual(['example.com/keep', 'foregroundDeleteVirtualMachine']);
    const again = defaultVmi(out, gatesOn());
    expect(again.filter((op) => op.path.startsWith('/metadata'))).toEqual([]);
  });

  it('fills in what examples/vmi-qat.yaml leaves out, as a patch against it', () => {
    const input = vmiQat();
    expect(defaultVmi(input, gatesOn())).toEqual([
      { op: 'add', path: '/metadata/finalizers', value: ['foregroundDeleteVirtualMachine'] },
      { op: 'add', path: '/spec/architecture', value: 'amd64' },
      { op: 'add', path: '/spec/domain/machine', value: { type: 'q35' } },
      { op: 'add', path: '/spec/domain/cpu/sockets', value: 1 },
      { op: 'add', path: '/spec/domain/cpu/threads', value: 1 },
      { op: 'add', path: '/spec/domain/features', value: { acpi: { enabled: true } } },
    ]);
  });

  it('defaults an empty domain: topology, grace period, devices', () => {
    const out = applyJsonPatch(vmi({ domain: {} }), defaultVmi(vmi({ domain: {} }), { ...gatesOn(), machineType: 'pc-q35-7.2' })) as { spec: unknown };
    expect(out.spec).toEqual(
      vmi({
        architecture: 'amd64',
        terminationGracePeriodSeconds: 30,
        domain: {
          machine: { type: 'pc-q35-7.2' },
          cpu: { cores: 1, sockets: 1, threads: 1 },
          features: { acpi: { enabled: true } },
          devices: {},
        },
      }).spec,
    );
  });

  it('derives cores from the CPU limit, else the request, rounded up', () => {
    const cores = (resources: unknown) => {
      const doc = vmi({ domain: { resources } });
      return (applyJsonPatch(doc, defaultVmi(doc, gatesOn())) as { spec: { domain: { cpu: unknown } } }).spec.domain.cpu;
    };
    expect(cores({ requests: { cpu: '2' } })).toEqual({ cores: 2, sockets: 1, threads: 1 });
    expect(cores({ requests: { cpu: '500m' } })).toEqual({ cores: 1, sockets: 1, threads: 1 });
    expect(cores({ requests: { cpu: '1500m' }, limits: { cpu: 4 } })).toEqual({ cores: 4, sockets: 1, threads: 1 });
    expect(cores({ requests: { cpu: 'two' } })).toEqual({ cores: 1, sockets: 1, threads: 1 });
  });

  it('mirrors memory between memory.guest and resources.requests.memory', () => {
    const guestOnly = vmi({ domain: { memory: { guest: '256Mi' } } });
    expect(defaultVmi(guestOnly, gatesOn())).toContainEqual({ op: 'add', path: '/spec/domain/resources', value: { requests: { memory: '256Mi' } } });
    const requestsOnly = vmi({ domain: { resources: { requests: { cpu: '1' } }, memory: {} } });
    const limitsOnly = vmi({ domain: { resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } } } });
    expect(defaultVmi(requestsOnly, gatesOn()).some((op) => op.path.includes('memory'))).toBe(false);
    const out = applyJsonPatch(limitsOnly, defaultVmi(limitsOnly, gatesOn())) as { spec: { domain: { memory: unknown; resources: unknown } } };
    expect(out.spec.domain.memory).toEqual({ guest: '1Gi' });
    expect(out.spec.domain.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } });
  });

  it('gives disks without a target a virtio disk, cdroms a sata bus', () => {
    const doc = vmi({
      domain: { devices: { disks: [{ name: 'a' }, { name: 'b', disk: {} }, { name: 'c', cdrom: {} }, { name: 'd', disk: { bus: 'sata' } }] } },
    });
    const ops = defaultVmi(doc, gatesOn()).filter((op) => op.path.includes('/disks/'));
    expect(ops).toEqual([
      { op: 'add', path: '/spec/domain/devices/disks/0/disk', value: { bus: 'virtio' } },
      { op: 'add', path: '/spec/domain/devices/disks/1/disk/bus', value: 'virtio' },
      { op: 'add', path: '/spec/domain/devices/disks/2/cdrom/bus', value: 'sata' },
    ]);
  });

  it("gives every volume without a disk a virtio disk of its name (KubeVirt's SetDefaultVolumeDisk; its vmi-sata example)", () => {
    type Devices = { spec: { domain: { devices: { disks?: unknown } } } };
    const patched = (doc: unknown) => applyJsonPatch(doc, defaultVmi(doc, gatesOn())) as Devices;
    const sata = vmi({ domain: { devices: {} }, volumes: [{ name: 'containerdisk', containerDisk: { image: 'i:1' } }] });
    expect(patched(sata).spec.domain.devices.disks).toEqual([{ name: 'containerdisk', disk: { bus: 'virtio' } }]);
    const mixed = vmi({
      domain: { devices: { disks: [{ name: 'b', cdrom: { bus: 'sata' } }] } },
      volumes: [{ name: 'a', hostDisk: {} }, { name: 'b', hostDisk: {} }, { name: 'a' }, { name: 7 }],
    });
    expect(patched(mixed).spec.domain.devices.disks).toEqual([
      { name: 'b', cdrom: { bus: 'sata' } },
      { name: 'a', disk: { bus: 'virtio' } },
    ]);
    const noDevices = vmi({ domain: {}, volumes: [{ name: 'a' }] });
    expect(patched(noDevices).spec.domain.devices).toEqual({ disks: [{ name: 'a', disk: { bus: 'virtio' } }] });
  });

  it('keeps what the user set, including acpi off, and replaces nulls', () => {
    const doc = vmi({
      architecture: 'amd64',
      terminationGracePeriodSeconds: null,
      domain: { machine: { type: 'pc' }, cpu: { cores: 2, sockets: 2, threads: 1 }, features: { acpi: { enabled: false } }, devices: {} },
    });
    expect(defaultVmi(doc, gatesOn()).filter((op) => op.path.startsWith('/spec'))).toEqual([
      { op: 'replace', path: '/spec/terminationGracePeriodSeconds', value: 30 },
    ]);
  });

  it.each<[string, unknown, { op: string; value: unknown } | undefined]>([
    ['absent', undefined, { op: 'add', value: 'amd64' }],
    ['null', null, { op: 'replace', value: 'amd64' }],
    ['empty (Go reads it as unset)', '', { op: 'replace', value: 'amd64' }],
    ['amd64', 'amd64', undefined],
    ['another architecture (validation refuses it)', 'arm64', undefined],
    ['a value of the wrong type (validation reports it)', 64, undefined],
  ])("sets KubeVirt's default architecture, amd64, when it is %s", (_, architecture, op) => {
    const doc = vmi(architecture === undefined ? { domain: {} } : { architecture, domain: {} });
    const ops = defaultVmi(doc, gatesOn()).filter((o) => o.path === '/spec/architecture');
    expect(ops).toEqual(op === undefined ? [] : [{ ...op, path: '/spec/architecture' }]);
  });

  it('never throws and never patches through mistyped values', () => {
    for (const spec of [
      undefined,
      null,
      [],
      'x',
      { domain: [] },
      { domain: { cpu: 'x', machine: 3, features: [], devices: 'x' } },
      { domain: { devices: { disks: [null, 'x'] } } },
    ]) {
      const doc = vmi(spec);
      const ops = defaultVmi(doc, gatesOn());
      expect(() => applyJsonPatch(doc, ops)).not.toThrow();
    }
    expect(defaultVmi(null, gatesOn())).toEqual([]);
    expect(defaultVmi([1], gatesOn())).toEqual([]);
  });
});

describe('defaultVm', () => {
  it('defaults the template spec at /spec/template/spec', () => {
    const vm = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm' },
      spec: { runStrategy: 'Always', template: { spec: { domain: { devices: {} } } } },
    };
    const ops = defaultVm(vm, gatesOn());
    expect(ops.map((o) => o.path)).toEqual([
      '/spec/template/spec/architecture',
      '/spec/template/spec/terminationGracePeriodSeconds',
      '/spec/template/spec/domain/machine',
      '/spec/template/spec/domain/cpu',
      '/spec/template/spec/domain/features',
    ]);
    expect(defaultVm({ spec: { template: 'x' } }, gatesOn())).toEqual([]);
  });
});

describe('the patch', () => {
  const docs: unknown[] = [
    vmiQat(),
    vmi({ domain: {} }),
    vmi({ domain: { resources: { limits: { memory: '1Gi', cpu: '3' } }, devices: { disks: [{ name: 'a' }, { name: 'b', cdrom: {} }] } } }),
    vmi({
      architecture: '',
      terminationGracePeriodSeconds: null,
      domain: { machine: { type: '' }, cpu: null, memory: 'x', resources: { limits: { memory: '1Gi' } } },
    }),
    vmi(JSON.parse('{"domain":{"devices":{}},"nodeSelector":{"__proto__":"x"}}')),
    vmi({ domain: { devices: { disks: [{ name: 'a' }] } }, volumes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
  ];

  it('applies to the input, leaves the input alone, and defaults nothing twice (applying it again adds nothing)', () => {
    for (const doc of docs) {
      const before = JSON.stringify(doc);
      const ops = defaultVmi(doc, gatesOn());
      expect(ops.length).toBeGreaterThan(0);
      const out = applyJsonPatch(doc, ops);
      expect(JSON.stringify(doc)).toBe(before);
      expect(defaultVmi(out, gatesOn())).toEqual([]);
    }
    const vm = { kind: 'VirtualMachine', spec: { running: true, template: { spec: { domain: { memory: { guest: '1Gi' } } } } } };
    const out = applyJsonPatch(vm, defaultVm(vm, gatesOn()));
    expect(defaultVm(out, gatesOn())).toEqual([]);
  });

  it('does not alias the input: changing the patch leaves the input as it was', () => {
    const doc = vmi({ domain: { resources: { limits: { memory: '1Gi' } } }, nodeSelector: {} });
    const withFinalizers = { ...doc, metadata: { name: 'v', finalizers: ['a'] } };
    const before = JSON.stringify(withFinalizers);
    for (const op of defaultVmi(withFinalizers, gatesOn())) {
      if (Array.isArray(op.value)) op.value.push('changed');
      else if (typeof op.value === 'object' && op.value !== null) Object.assign(op.value, { changed: true });
    }
    expect(JSON.stringify(withFinalizers)).toBe(before);
  });

  it('keeps a memory amount that could not be set from reaching requests (memory of the wrong type)', () => {
    const ops = defaultVmi(docs[3], gatesOn());
    expect(ops.filter((op) => op.path.includes('memory'))).toEqual([]);
  });
});
