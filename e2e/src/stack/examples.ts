// The example VMIs `up` applies, and what it prints about them afterwards.
import { join } from 'node:path';
import type { KubeClient } from '@qvirt/kube';
import type { VirtualMachineInstance } from '@qvirt/api';
import { eventually } from '@qvirt/testing';
import type { StackLayout } from './stack-layout.js';
import { step, type StepPrinter } from './steps.js';

type Kubectl = (args: string[], stdin?: string) => Promise<string>;

const vmiPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/${name}`;

export async function applyExamples(l: StackLayout, out: StepPrinter, admin: KubeClient, kubectl: Kubectl): Promise<void> {
  await step(out, 'apply examples/kubevirt-config.yaml, vmi-plain.yaml, vmi-qat.yaml', undefined, async () => {
    await kubectl(['apply', '-f', join(l.repo, 'examples/kubevirt-config.yaml')]);
    // Give virt-api a moment to see the QAT gate (it watches kubevirt-config) before the QAT VMI arrives.
    await new Promise((r) => setTimeout(r, 1000));
    await kubectl(['apply', '-f', join(l.repo, 'examples/vmi-plain.yaml'), '-f', join(l.repo, 'examples/vmi-qat.yaml')]);
  });
  await step(out, 'wait for vmi-plain Running (an emulated guest boots)', join(l.logs, 'virt-handler.log'), () =>
    eventually(
      'vmi-plain Running',
      async () => {
        const v = await admin.get<VirtualMachineInstance>(vmiPath('vmi-plain')).catch(() => undefined);
        if (v?.status?.phase === 'Failed') throw new Error(`vmi-plain failed: ${v.status.reason ?? ''} ${v.status.message ?? ''}`);
        return v?.status?.phase === 'Running' ? v : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 250 },
    ),
  );
  await step(out, 'wait for vmi-qat to fail as this host allows (no IOMMU)', join(l.logs, 'virt-handler.log'), () =>
    eventually(
      'vmi-qat failure',
      async () => {
        const v = await admin.get<VirtualMachineInstance>(vmiPath('vmi-qat')).catch(() => undefined);
        return v && qatFailure(v) ? v : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 250 },
    ),
  );
}

/** The reason a QAT VMI could not start, from its status (phase Failed, or a Failure/Synchronized condition). */
export function qatFailure(v: VirtualMachineInstance): string | undefined {
  const s = v.status;
  if (!s) return undefined;
  const sync = (s.conditions ?? []).find((c) => c.type === 'Synchronized' && c.status === 'False');
  if (s.phase === 'Failed') return [s.reason, s.message].filter(Boolean).join(': ') || sync?.message || 'Failed';
  return sync?.message;
}

export async function printSummary(l: StackLayout, out: StepPrinter, admin: KubeClient, kubectl: Kubectl): Promise<void> {
  out.write('\n');
  out.write(await kubectl(['get', 'vmi', '-A', '-o', 'wide']).catch((e: Error) => `kubectl get vmi failed: ${e.message}\n`));
  const plain = await admin.get<VirtualMachineInstance>(vmiPath('vmi-plain')).catch(() => undefined);
  const qat = await admin.get<VirtualMachineInstance>(vmiPath('vmi-qat')).catch(() => undefined);
  if (qat) {
    const vf = qat.status?.deviceStatus?.hostDeviceStatuses?.map((d) => `${d.name}=${d.pciAddress ?? '?'}`).join(', ');
    out.write(`\nvmi-qat: ${qatFailure(qat) ?? qat.status?.phase ?? 'no status'}${vf ? ` (VFs: ${vf})` : ''}\n`);
  }
  if (plain?.metadata.uid) out.write(`\nGuest console of vmi-plain:  tail -f ${join(l.runDir, plain.metadata.uid, 'console.log')}\n`);
}
