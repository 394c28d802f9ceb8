import { describe, expect, it } from 'vitest';
import { isTerminalEvent, mapLifecycleEvent } from './lifecycle-event.js';

describe('mapLifecycleEvent', () => {
  it.each([
    [0, 0, 'defined', 'added'],
    [1, 0, 'undefined', 'removed'],
    [2, 0, 'started', 'booted'],
    [3, 0, 'suspended', 'paused'],
    [4, 0, 'resumed', 'unpaused'],
    [5, 0, 'stopped', 'shutdown'],
    [5, 1, 'stopped', 'destroyed'],
    [5, 2, 'stopped', 'crashed'],
    [6, 0, 'shutdown', 'finished'],
    [6, 1, 'shutdown', 'guest'],
    [8, 0, 'crashed', 'panicked'],
  ])('event %i detail %i -> %s/%s', (ev, det, event, detail) => {
    expect(mapLifecycleEvent('vm', 'u', ev, det)).toEqual({
      domainName: 'vm',
      uuid: 'u',
      event,
      detail,
      eventCode: ev,
      detailCode: det,
    });
  });

  it('keeps unknown numbers visible', () => {
    expect(mapLifecycleEvent('vm', 'u', 77, 3)).toMatchObject({ event: 'unknown', detail: 'unknown', eventCode: 77 });
  });

  it('terminal events are stopped, crashed and undefined', () => {
    expect(isTerminalEvent(mapLifecycleEvent('vm', 'u', 5, 1))).toBe(true);
    expect(isTerminalEvent(mapLifecycleEvent('vm', 'u', 6, 0))).toBe(false);
    expect(isTerminalEvent(mapLifecycleEvent('vm', 'u', 2, 0))).toBe(false);
  });
});
