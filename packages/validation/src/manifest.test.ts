import { readFileSync } from 'node:fs';
import { emptyClusterConfig, type ClusterConfig, type KubeVirt, type StatusCause } from '@qvirt/api';
import { clusterConfigFrom } from '@qvirt/api/cluster-config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateManifest } from './manifest.js';
import { vmiQat } from './testing/fixtures.js';

const examples = new URL('../../../examples/', import.meta.url);
const load = (name: string): unknown => parse(readFileSync(new URL(name, examples), 'utf8'));

const on = emptyClusterConfig(['QAT', 'HostDevices']);
const off = emptyClusterConfig();
const fromCr = clusterConfigFrom({ kubevirt: load('kubevirt-cr.yaml') as KubeVirt });
const fromConfigMap = clusterConfigFrom({ configMapData: (load('kubevirt-config.yaml') as { data: Record<string, string> }).data });
const qatOff = (prefix: string): StatusCause => ({
  type: 'FieldValueInvalid',
  field: `${prefix}.domain.devices.qats`,
  message: 'QAT feature gate is not enabled in kubevirt-config',
});

const table: [string, string, ClusterConfig, string, StatusCause[]][] = [
  ['vmi-qat.yaml', 'gates on', on, 'VirtualMachineInstance', []],
  ['vmi-qat.yaml', 'gates off', off, 'VirtualMachineInstance', [qatOff('spec')]],
  ['vmi-qat.yaml', 'examples/kubevirt-cr.yaml', fromCr, 'VirtualMachineInstance', []],
  ['vmi-qat.yaml', 'examples/kubevirt-config.yaml', fromConfigMap, 'VirtualMachineInstance', []],
  ['vmi-plain.yaml', 'gates on', on, 'VirtualMachineInstance', []],
  ['vmi-plain.yaml', 'gates off', off, 'VirtualMachineInstance', []],
  ['vm-qat.yaml', 'gates on', on, 'VirtualMachine', []],
  ['vm-qat.yaml', 'examples/kubevirt-cr.yaml', fromCr, 'VirtualMachine', []],
  ['vm-qat.yaml', 'gates off', off, 'VirtualMachine', [qatOff('spec.template.spec')]],
];

describe('validateManifest on examples/', () => {
  it.each(table)('%s with %s', (file, _config, config, kind, causes) => {
    expect(validateManifest(load(file), config)).toEqual({ kind, causes });
  });
});

describe('validateManifest', () => {
  it('defaults before validating, like the webhook chain (memory from requests only)', () => {
    const vmi = vmiQat();
    delete vmi.spec.domain.memory;
    expect(validateManifest(vmi, on).causes).toEqual([]);
  });

  it('names a wrong apiVersion or kind', () => {
    expect(validateManifest({ ...vmiQat(), apiVersion: 'kubevirt.io/v1alpha3' }, on)).toEqual({
      kind: 'VirtualMachineInstance',
      causes: [
        {
          type: 'FieldValueNotSupported',
          field: 'apiVersion',
          message: 'apiVersion: Unsupported value: "kubevirt.io/v1alpha3": supported values: "kubevirt.io/v1"',
        },
      ],
    });
    expect(validateManifest({ apiVersion: 'v1', kind: 'Pod', spec: {} }, on)).toEqual({
      kind: 'Pod',
      causes: [
        { type: 'FieldValueNotSupported', field: 'apiVersion', message: 'apiVersion: Unsupported value: "v1": supported values: "kubevirt.io/v1"' },
        {
          type: 'FieldValueNotSupported',
          field: 'kind',
          message: 'kind: Unsupported value: "Pod": supported values: "VirtualMachineInstance", "VirtualMachine"',
        },
      ],
    });
    expect(validateManifest({ apiVersion: 'kubevirt.io/v1' }, on).causes).toEqual([
      { type: 'FieldValueNotSupported', field: 'kind', message: 'kind: Unsupported value: "": supported values: "VirtualMachineInstance", "VirtualMachine"' },
    ]);
  });

  it('collects problems across rules in one answer', () => {
    const vmi = vmiQat();
    vmi.spec.domain.devices = { qats: [{ name: 'Bad_Name', deviceName: 'qat.intel.com/generic' }], disks: [{ name: 'root' }] };
    vmi.spec.domain.firmware = { kernelBoot: { hostPath: { kernelPath: 'vmlinuz' } } };
    expect(validateManifest(vmi, off).causes.map((c) => c.field)).toEqual([
      'spec.domain.devices.qats',
      'spec.domain.devices.qats[0].name',
      'spec.domain.firmware.kernelBoot.hostPath.kernelPath',
      'spec.domain.devices.disks[0].name',
    ]);
  });
});
