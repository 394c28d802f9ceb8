import { describe, expect, it } from 'vitest';
import { mapDomainState } from './domain-state.js';

describe('mapDomainState', () => {
  it.each([
    [1, 1, 'running', 'booted'],
    [1, 5, 'running', 'unpaused'],
    [3, 1, 'paused', 'user'],
    [3, 11, 'paused', 'starting_up'],
    [4, 1, 'shutdown', 'user'],
    [5, 1, 'shutoff', 'shutdown'],
    [5, 2, 'shutoff', 'destroyed'],
    [5, 3, 'shutoff', 'crashed'],
    [5, 8, 'shutoff', 'daemon'],
    [6, 1, 'crashed', 'panicked'],
    [7, 0, 'pmsuspended', 'unknown'],
  ])('state %i reason %i -> %s/%s', (s, r, state, reason) => {
    expect(mapDomainState(s, r)).toEqual({ state, reason });
  });

  it('maps numbers it does not know to unknown instead of throwing', () => {
    expect(mapDomainState(42, 0)).toEqual({ state: 'unknown', reason: 'unknown' });
    expect(mapDomainState(1, 99)).toEqual({ state: 'running', reason: 'unknown' });
  });
});
