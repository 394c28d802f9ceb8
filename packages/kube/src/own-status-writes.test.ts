import { describe, expect, it } from 'vitest';
import { OwnStatusWrites } from './own-status-writes.js';

const obj = (rv: string, phase: string) => ({ metadata: { resourceVersion: rv }, status: { phase } });

describe('OwnStatusWrites', () => {
  it('builds on our write while the cache still holds the version it replaced, then on the cache', () => {
    const w = new OwnStatusWrites<ReturnType<typeof obj>>();
    const cached = obj('5', 'Pending');
    expect(w.freshest('ns/a', cached)).toBe(cached);
    const written = obj('6', 'Scheduling');
    w.record('ns/a', cached, written);
    expect(w.freshest('ns/a', cached)).toBe(written); // informer not caught up yet
    expect(w.freshest('ns/b', cached)).toBe(cached); // per key
    const caughtUp = obj('6', 'Scheduling');
    expect(w.freshest('ns/a', caughtUp)).toBe(caughtUp);
    expect(w.freshest('ns/a', cached)).toBe(cached); // entry dropped once the cache moved on
  });

  it('a later write by someone else wins over ours; nothing recorded without a result', () => {
    const w = new OwnStatusWrites<ReturnType<typeof obj>>();
    w.record('k', obj('5', 'Scheduling'), obj('6', 'Scheduled'));
    const handlers = obj('7', 'Running');
    expect(w.freshest('k', handlers)).toBe(handlers);
    w.record('k', obj('7', 'Running'), undefined);
    expect(w.freshest('k', obj('7', 'Running')).metadata.resourceVersion).toBe('7');
    w.record('k', obj('7', 'Running'), obj('8', 'Failed'));
    w.forget('k');
    expect(w.freshest('k', obj('7', 'Running')).status.phase).toBe('Running');
  });
});
