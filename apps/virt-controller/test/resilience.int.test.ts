import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { Lease } from '@qvirt/kube/controller';
import { createNamespace, getVmi, launcherPods, qatVmi, setUp, startController, vmisPath, type ControllerProcess, type Env } from './harness.js';

let env: Env;
const controllers: ControllerProcess[] = [];

beforeAll(async () => {
  env = await setUp();
});
afterAll(async () => {
  for (const c of controllers) await c.kill('SIGKILL');
  await env?.cp.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('controller restarts', () => {
  it('killed at random points during 50 VMI creations: exactly 50 pods, no duplicate, no orphan', async () => {
    await createNamespace(env, 'crash');
    let ctl = startController(env, ['--leader-elect=false', '--workers', '4']);
    controllers.push(ctl);
    let stop = false;
    let kills = 0;
    const killer = (async () => {
      while (!stop) {
        await sleep(300 + Math.random() * 1700);
        if (stop) break;
        await ctl.kill('SIGKILL');
        kills++;
        ctl = startController(env, ['--leader-elect=false', '--workers', '4']);
        controllers.push(ctl);
      }
    })();
    const uids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const v = await env.admin.create<ReturnType<typeof qatVmi>>(vmisPath('crash'), qatVmi(`vmi-${i}`, 'crash', 1 + (i % 2)));
      uids.push(v.metadata.uid!);
      await sleep(100 + Math.random() * 100);
    }
    await sleep(1500);
    stop = true;
    await killer;
    expect(kills).toBeGreaterThanOrEqual(2);
    // Let the last controller converge.
    await eventually(
      'every VMI Scheduling',
      async () => {
        const list = await env.admin.get<{ items: ReturnType<typeof qatVmi>[] }>(vmisPath('crash'));
        return list.items.length === 50 && list.items.every((v) => v.status?.phase === 'Scheduling');
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await sleep(2000); // any late duplicate would show up now
    const pods = await launcherPods(env, 'crash');
    expect(pods).toHaveLength(50);
    const owners = pods.map((p) => p.metadata!.labels!['kubevirt.io/created-by']!);
    expect(new Set(owners).size).toBe(50);
    expect([...owners].sort()).toEqual([...uids].sort());
    for (const p of pods) expect(p.metadata?.ownerReferences?.[0]?.uid).toBe(p.metadata!.labels!['kubevirt.io/created-by']);
    process.stdout.write(`crash test: ${kills} kills during 50 creations\n`);
  });
});

describe('leader election', () => {
  const lease = () => env.admin.get<Lease>('/apis/coordination.k8s.io/v1/namespaces/kubevirt/leases/virt-controller');
  const eventsBy = async (ns: string, instance: string) => {
    const list = await env.admin.get<{ items: { reportingInstance?: string; reason: string }[] }>(`/api/v1/namespaces/${ns}/events`);
    return list.items.filter((e) => e.reportingInstance === instance);
  };

  it('only the leader writes; killing it hands over within the lease time', async () => {
    for (const c of controllers.splice(0)) await c.kill('SIGKILL');
    await createNamespace(env, 'le');
    const a = startController(env, [], 'replica-a');
    const b = startController(env, [], 'replica-b');
    controllers.push(a, b);
    const holder = await eventually('a leader', async () => (await lease().catch(() => undefined))?.spec?.holderIdentity || undefined, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const [leader, standby] = holder === 'replica-a' ? [a, b] : [b, a];

    const v1 = await env.admin.create<ReturnType<typeof qatVmi>>(vmisPath('le'), qatVmi('one', 'le'));
    await eventually('pod for one', async () => (await launcherPods(env, 'le', v1.metadata.uid)).length === 1, { timeoutMs: 30_000, intervalMs: 100 });
    await eventually('leader event', async () => (await eventsBy('le', leader.identity)).length > 0, { timeoutMs: 30_000, intervalMs: 100 });
    expect(await eventsBy('le', standby.identity)).toEqual([]);

    const killedAt = Date.now();
    await leader.kill('SIGKILL');
    await eventually('standby takes over', async () => (await lease()).spec?.holderIdentity === standby.identity, { timeoutMs: 20_000, intervalMs: 100 });
    const handover = Date.now() - killedAt;
    process.stdout.write(`leader handover after SIGKILL: ${handover} ms (lease 4 s)\n`);
    expect(handover).toBeLessThan(4000 + 3000);
    const v2 = await env.admin.create<ReturnType<typeof qatVmi>>(vmisPath('le'), qatVmi('two', 'le'));
    await eventually('pod for two', async () => (await launcherPods(env, 'le', v2.metadata.uid)).length === 1, { timeoutMs: 20_000, intervalMs: 100 });
    await eventually('two Scheduling', async () => (await getVmi(env, 'le', 'two')).status?.phase === 'Scheduling', { timeoutMs: 30_000, intervalMs: 100 });

    // SIGTERM releases the lease: a fresh standby takes over at once.
    const c = startController(env, [], 'replica-c');
    controllers.push(c);
    await sleep(3000); // c syncs its caches and campaigns
    const termAt = Date.now();
    await standby.kill('SIGTERM');
    await eventually('replica-c leads', async () => (await lease()).spec?.holderIdentity === 'replica-c', { timeoutMs: 10_000, intervalMs: 100 });
    const graceful = Date.now() - termAt;
    process.stdout.write(`leader handover after SIGTERM: ${graceful} ms\n`);
    expect(graceful).toBeLessThan(2500);
    expect(standby.child.exitCode).toBe(0);
  });
});
