import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '@qvirt/api';
import { canonical, desiredStatusPatch, NOT_MIGRATABLE_MESSAGE, observedPhase } from './vmi-status.js';
import type { VmiObservation } from './vmi-observation.js';
import { testVmi } from '../testing/fixtures.js';

const now = new Date('2026-02-03T04:05:06.789Z');
const running: VmiObservation = { launcher: { kind: 'connected', domain: { kind: 'present', state: 'running', reason: 'booted' } } };

/** Applies a status merge patch the way the API server would (top-level keys replace). */
function apply(vmi: VirtualMachineInstance, patch: Record<string, unknown> | undefined): VirtualMachineInstance {
  return patch ? { ...vmi, status: { ...vmi.status, ...(JSON.parse(JSON.stringify(patch)) as object) } } : vmi;
}

describe('observedPhase', () => {
  it('maps domain states and events to phases', () => {
    const vmi = testVmi({ status: { phase: 'Running', nodeName: 'node1' } });
    expect(observedPhase(vmi, running)).toEqual({ phase: 'Running' });
    expect(observedPhase(vmi, { ...running, ended: { event: 'stopped', detail: 'shutdown' } })).toEqual({ phase: 'Succeeded' });
    expect(observedPhase(vmi, { ...running, ended: { event: 'stopped', detail: 'crashed' } })).toEqual({
      phase: 'Failed',
      reason: 'GuestCrashed',
      message: 'domain ns1_vm1 stopped (crashed)',
    });
    expect(observedPhase(vmi, { launcher: { kind: 'connected', domain: { kind: 'present', state: 'shutoff', reason: 'shutdown' } } })).toEqual({
      phase: 'Succeeded',
    });
    expect(observedPhase(vmi, { launcher: { kind: 'connected', domain: { kind: 'absent' } } })).toMatchObject({ phase: 'Failed', reason: 'DomainLost' });
    expect(observedPhase(testVmi(), { launcher: { kind: 'connected', domain: { kind: 'absent' } } })).toEqual({ phase: 'Scheduled' });
  });

  it('a vanished launcher fails a running VMI, with the cause; a deleted one succeeds', () => {
    const vmi = testVmi({ status: { phase: 'Running', nodeName: 'node1' } });
    expect(observedPhase(vmi, { launcher: { kind: 'gone', cause: 'connection to its libvirtd closed (eof)' } })).toEqual({
      phase: 'Failed',
      reason: 'LauncherExited',
      message: 'launcher for VMI ns1/vm1 exited: connection to its libvirtd closed (eof)',
    });
    expect(observedPhase(testVmi({ deleting: true, status: { phase: 'Running', nodeName: 'node1' } }), { launcher: { kind: 'gone', cause: 'eof' } })).toEqual({
      phase: 'Succeeded',
    });
    // After a handler restart: socket gone -> failed at once; refused -> after 3 tries.
    expect(observedPhase(vmi, { launcher: { kind: 'unreachable', cause: 'no socket', socketExists: false, failures: 1 } })).toMatchObject({
      phase: 'Failed',
      reason: 'LauncherExited',
    });
    expect(observedPhase(vmi, { launcher: { kind: 'unreachable', cause: 'refused', socketExists: true, failures: 2 } })).toEqual({ phase: 'Running' });
    expect(observedPhase(vmi, { launcher: { kind: 'unreachable', cause: 'refused', socketExists: true, failures: 3 } })).toMatchObject({ phase: 'Failed' });
    // A scheduled VMI just waits for its launcher.
    expect(observedPhase(testVmi(), { launcher: { kind: 'unreachable', cause: 'no socket', socketExists: false, failures: 10 } })).toEqual({
      phase: 'Scheduled',
    });
  });
});

describe('desiredStatusPatch', () => {
  it('Scheduled -> Running: phase, timestamp, Ready, LiveMigratable=False for a QAT VMI, device status', () => {
    const vmi = testVmi({ qat: true });
    const devices = [{ name: 'qat1', deviceName: 'qat.intel.com/generic', pciAddress: '0000:3d:01.1', phase: 'Allocated' as const }];
    const patch = desiredStatusPatch(vmi, { ...running, devices }, now);
    expect(patch).toEqual({
      phase: 'Running',
      phaseTransitionTimestamps: [{ phase: 'Running', phaseTransitionTimestamp: '2026-02-03T04:05:06Z' }],
      conditions: [
        {
          type: 'LiveMigratable',
          status: 'False',
          reason: 'HostDeviceNotLiveMigratable',
          message: NOT_MIGRATABLE_MESSAGE,
          lastProbeTime: null,
          lastTransitionTime: '2026-02-03T04:05:06Z',
        },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-02-03T04:05:06Z' },
      ],
      deviceStatus: { hostDeviceStatuses: devices },
    });
    // Converged: the same observation writes nothing, even after the API server re-sorted keys and dropped nulls.
    const stored = apply(vmi, canonical(patch) as Record<string, unknown>);
    expect(desiredStatusPatch(stored, { ...running, devices }, new Date(now.getTime() + 60_000))).toBeUndefined();
  });

  it("a start failure: Failed with libvirt's message, a Synchronized=False condition and the device status", () => {
    const vmi = testVmi({ qat: true });
    const msg = "unsupported configuration: host doesn't support passthrough of host PCI devices";
    const devices = [{ name: 'qat1', deviceName: 'qat.intel.com/generic', pciAddress: '0000:3d:01.1', phase: 'Allocated' as const }];
    const patch = desiredStatusPatch(
      vmi,
      {
        launcher: { kind: 'connected', domain: { kind: 'present', state: 'shutoff', reason: 'failed' } },
        failure: { reason: 'StartFailed', message: msg },
        devices,
      },
      now,
    )!;
    expect(patch).toMatchObject({ phase: 'Failed', reason: 'StartFailed', message: msg, deviceStatus: { hostDeviceStatuses: devices } });
    expect(patch.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'False', reason: 'StartFailed', message: msg }),
        expect.objectContaining({ type: 'Synchronized', status: 'False', reason: 'StartFailed', message: msg }),
      ]),
    );
  });

  it("leaves the controller's phases and final VMIs alone; keeps a LiveMigratable written by the controller", () => {
    expect(desiredStatusPatch(testVmi({ status: { phase: 'Scheduling' } }), running, now)).toBeUndefined();
    expect(desiredStatusPatch(testVmi({ status: { phase: 'Succeeded', nodeName: 'node1' } }), running, now)).toBeUndefined();
    const byController = testVmi({
      qat: true,
      status: {
        phase: 'Running',
        nodeName: 'node1',
        conditions: [
          {
            type: 'LiveMigratable',
            status: 'False',
            reason: 'HostDeviceNotLiveMigratable',
            message: 'another text',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
          { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
        ],
      },
    });
    expect(desiredStatusPatch(byController, running, now)).toBeUndefined();
  });
});
