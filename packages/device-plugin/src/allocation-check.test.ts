import { describe, expect, it } from 'vitest';
import { checkContainerRequest } from './allocation-check.js';
import type { PluginDevice } from './device-source.js';
import { AllocateRefusal } from './errors.js';

const devs = new Map<string, PluginDevice>(
  [
    { id: '0000:3d:01.0', health: 'Healthy', numaNode: 0, groupKey: '11' },
    { id: '0000:3d:01.1', health: 'Unhealthy', unhealthyReason: 'PF 0000:3d:00.0 heartbeat failed', numaNode: 0, groupKey: '12' },
    { id: '0000:3d:01.2', health: 'Healthy', numaNode: 0, groupKey: '7' },
    { id: '0000:3d:01.3', health: 'Healthy', numaNode: 0, groupKey: '7' },
  ].map((d) => [d.id, d as PluginDevice]),
);
const R = 'qat.intel.com/generic';

function refusal(ids: string[]): AllocateRefusal {
  try {
    checkContainerRequest(R, ids, devs);
  } catch (err) {
    if (err instanceof AllocateRefusal) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('checkContainerRequest', () => {
  it('accepts known healthy devices and whole groups', () => {
    expect(checkContainerRequest(R, ['0000:3d:01.0'], devs).map((d) => d.id)).toEqual(['0000:3d:01.0']);
    expect(checkContainerRequest(R, ['0000:3d:01.3', '0000:3d:01.2'], devs)).toHaveLength(2);
  });

  it('refuses unknown, duplicate and empty requests with INVALID_ARGUMENT naming the ID', () => {
    expect(refusal(['0000:99:01.0'])).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'resource qat.intel.com/generic: unknown device 0000:99:01.0' });
    expect(refusal(['0000:3d:01.0', '0000:3d:01.0'])).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('0000:3d:01.0 requested twice'),
    });
    expect(refusal([])).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses unhealthy devices and split groups with FAILED_PRECONDITION', () => {
    expect(refusal(['0000:3d:01.1'])).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: 'resource qat.intel.com/generic: device 0000:3d:01.1 is Unhealthy (PF 0000:3d:00.0 heartbeat failed)',
    });
    expect(refusal(['0000:3d:01.2'])).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('shares IOMMU group 7 with 0000:3d:01.3'),
    });
  });
});
