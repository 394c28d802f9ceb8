import { describe, expect, it } from 'vitest';
import { InMemoryDomainManager } from './in-memory-domain-manager.js';
import { isLibvirtNotFound, isOperationInvalid } from './libvirt-error.js';
import type { LifecycleEvent } from './lifecycle-event.js';

const xml = "<domain type='qemu'><name>vm1</name><uuid>11111111-2222-3333-4444-555555555555</uuid></domain>";
const tick = () => new Promise((r) => setImmediate(r));

describe('InMemoryDomainManager', () => {
  it('follows libvirt states, events and errors through a lifecycle', async () => {
    const m = new InMemoryDomainManager();
    const events: string[] = [];
    await m.onLifecycle((e: LifecycleEvent) => events.push(`${e.event}/${e.detail}`));
    expect(await m.define(xml)).toEqual({ name: 'vm1', uuid: '11111111-2222-3333-4444-555555555555' });
    await expect(m.shutdown('vm1')).rejects.toSatisfy(isOperationInvalid);
    await m.start('vm1');
    expect(await m.state('vm1')).toEqual({ state: 'running', reason: 'booted' });
    await m.shutdown('vm1');
    await tick();
    await tick();
    expect(await m.state('vm1')).toEqual({ state: 'shutoff', reason: 'shutdown' });
    await m.undefine('vm1');
    await expect(m.state('vm1')).rejects.toSatisfy(isLibvirtNotFound);
    await tick();
    expect(events).toEqual(['defined/added', 'started/booted', 'shutdown/finished', 'stopped/shutdown', 'undefined/removed']);
  });

  it('a guest that ignores ACPI stays running until destroyed', async () => {
    const m = new InMemoryDomainManager({ guestObeysAcpi: false });
    await m.define(xml);
    await m.start('vm1');
    await m.shutdown('vm1');
    await tick();
    expect((await m.state('vm1')).state).toBe('running');
    await m.destroy('vm1');
    expect(await m.state('vm1')).toEqual({ state: 'shutoff', reason: 'destroyed' });
  });

  it('rejects XML without a name with a typed error', async () => {
    await expect(new InMemoryDomainManager().define('<domain/>')).rejects.toThrow(/missing domain name/);
  });
});
