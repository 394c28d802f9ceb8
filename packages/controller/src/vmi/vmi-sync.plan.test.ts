import { describe, expect, it } from 'vitest';
import { inputsFixture, podFixture, vmiFixture } from '../testing/fixtures.js';
import { planVmiSync } from './vmi-sync.plan.js';

describe('planVmiSync', () => {
  it('a new VMI: add the finalizer and create exactly one pod', () => {
    const p = planVmiSync({ vmi: vmiFixture(), pods: [], expectationsSatisfied: true, inputs: inputsFixture() });
    expect(p.addFinalizer).toBe(true);
    expect(p.createPod?.metadata?.name).toMatch(/^virt-launcher-vmi-qat-/);
    expect(p.deletePods).toEqual([]);
  });

  it('creates nothing while our earlier create is not yet in the cache', () => {
    const p = planVmiSync({ vmi: vmiFixture(), pods: [], expectationsSatisfied: false, inputs: inputsFixture() });
    expect(p.createPod).toBeUndefined();
    expect(p.writeStatus).toBe(false);
  });

  it('creates nothing when a pod exists or the VMI is past Pending', () => {
    expect(planVmiSync({ vmi: vmiFixture(), pods: [podFixture()], expectationsSatisfied: true, inputs: inputsFixture() }).createPod).toBeUndefined();
    expect(
      planVmiSync({ vmi: vmiFixture({ phase: { phase: 'Scheduling' } }), pods: [], expectationsSatisfied: true, inputs: inputsFixture() }).createPod,
    ).toBeUndefined();
  });

  it('keeps the oldest pod and deletes any extra one', () => {
    const old = podFixture({ name: 'a-old', created: '2025-01-01T00:00:01Z' });
    const young = podFixture({ name: 'b-young', created: '2025-01-01T00:00:09Z' });
    const p = planVmiSync({ vmi: vmiFixture(), pods: [young, old], expectationsSatisfied: true, inputs: inputsFixture() });
    expect(p.observation).toEqual({ kind: 'pod', pod: old });
    expect(p.deletePods).toEqual([young]);
  });

  it('a deleted VMI: delete its pods, remove the finalizer only when none is left', () => {
    const vmi = vmiFixture();
    vmi.metadata.deletionTimestamp = '2025-01-01T00:01:00Z';
    vmi.metadata.finalizers = ['foregroundDeleteVirtualMachine'];
    const withPod = planVmiSync({ vmi, pods: [podFixture()], expectationsSatisfied: true, inputs: inputsFixture() });
    expect(withPod.deletePods).toHaveLength(1);
    expect(withPod.removeFinalizer).toBe(false);
    const terminating = planVmiSync({ vmi, pods: [podFixture({ deleting: true })], expectationsSatisfied: true, inputs: inputsFixture() });
    expect(terminating.deletePods).toHaveLength(0);
    expect(terminating.removeFinalizer).toBe(false);
    expect(planVmiSync({ vmi, pods: [], expectationsSatisfied: true, inputs: inputsFixture() }).removeFinalizer).toBe(true);
  });

  it('a final VMI: delete its running launcher pod (frees its VFs), once, keeping the finalizer logic', () => {
    for (const phase of ['Failed', 'Succeeded'] as const) {
      const vmi = vmiFixture({ phase: { phase } });
      vmi.metadata.finalizers = ['foregroundDeleteVirtualMachine'];
      const running = podFixture({ phase: 'Running', nodeName: 'node-a' });
      const p = planVmiSync({ vmi, pods: [running], expectationsSatisfied: true, inputs: inputsFixture() });
      expect(p.deletePods).toEqual([running]);
      expect(p.createPod).toBeUndefined();
      expect(p.addFinalizer).toBe(false);
      expect(p.removeFinalizer).toBe(false);
      // Already terminating, or our delete not yet seen by the cache: nothing more to delete.
      expect(planVmiSync({ vmi, pods: [podFixture({ deleting: true })], expectationsSatisfied: true, inputs: inputsFixture() }).deletePods).toEqual([]);
      expect(planVmiSync({ vmi, pods: [running], expectationsSatisfied: false, inputs: inputsFixture() }).deletePods).toEqual([]);
      expect(planVmiSync({ vmi, pods: [], expectationsSatisfied: true, inputs: inputsFixture() }).deletePods).toEqual([]);
    }
    // Not final: the VMI's pod stays.
    expect(
      planVmiSync({
        vmi: vmiFixture({ phase: { phase: 'Running' } }),
        pods: [podFixture({ phase: 'Running' })],
        expectationsSatisfied: true,
        inputs: inputsFixture(),
      }).deletePods,
    ).toEqual([]);
  });

  it('a forbidden device: no pod, a renderFailed observation', () => {
    const inputs = inputsFixture({ clusterConfig: { featureGates: new Set(['QAT']), machineType: 'q35', permittedHostDevices: { pciHostDevices: [] } } });
    const p = planVmiSync({ vmi: vmiFixture(), pods: [], expectationsSatisfied: true, inputs });
    expect(p.createPod).toBeUndefined();
    expect(p.observation).toMatchObject({ kind: 'renderFailed', reason: 'FailedCreate' });
  });
});
