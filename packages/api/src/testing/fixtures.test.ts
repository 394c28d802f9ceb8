import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { qatDevices, TEST_GUEST, vmiFixture } from './fixtures.js';

const example = (file: string): unknown => parse(readFileSync(new URL(`../../../../examples/${file}`, import.meta.url), 'utf8'));

describe('vmiFixture', () => {
  it('is the examples: vmi-plain.yaml without options, vmi-qat.yaml with one QAT', () => {
    expect(vmiFixture()).toEqual(example('vmi-plain.yaml'));
    expect(vmiFixture({ qats: 1 })).toEqual(example('vmi-qat.yaml'));
    expect(vmiFixture().spec.domain.firmware?.kernelBoot?.hostPath?.kernelPath).toBe(TEST_GUEST.kernelPath);
  });

  it('takes names, metadata, devices, domain and spec overrides, and status; each call is a fresh object', () => {
    const vmi = vmiFixture({
      name: 'x',
      namespace: 'ns',
      metadata: { uid: 'u1', resourceVersion: '7' },
      qats: qatDevices(2, { deviceName: 'qat.intel.com/cy', firstIndex: 0 }),
      hostDevices: [{ name: 'nic', deviceName: 'example.com/nic' }],
      domain: { cpu: { cores: 2 }, devices: { autoattachSerialConsole: false } },
      spec: { terminationGracePeriodSeconds: 5 },
      status: { phase: 'Running' },
    });
    expect(vmi.metadata).toEqual({ name: 'x', namespace: 'ns', uid: 'u1', resourceVersion: '7' });
    expect(vmi.spec.terminationGracePeriodSeconds).toBe(5);
    expect(vmi.spec.domain.cpu).toEqual({ cores: 2 });
    expect(vmi.spec.domain.memory).toEqual({ guest: '128Mi' });
    expect(vmi.spec.domain.devices).toEqual({
      autoattachSerialConsole: false,
      qats: [
        { name: 'qat0', deviceName: 'qat.intel.com/cy' },
        { name: 'qat1', deviceName: 'qat.intel.com/cy' },
      ],
      hostDevices: [{ name: 'nic', deviceName: 'example.com/nic' }],
    });
    expect(vmi.status).toEqual({ phase: 'Running' });
    const a = vmiFixture({ qats: 3 });
    a.spec.domain.devices.qats!.pop();
    expect(vmiFixture({ qats: 3 }).spec.domain.devices.qats?.map((q) => q.name)).toEqual(['qat1', 'qat2', 'qat3']);
  });
});
