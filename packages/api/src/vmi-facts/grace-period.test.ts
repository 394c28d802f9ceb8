import { describe, expect, it } from 'vitest';
import { vmiFixture } from '../testing/fixtures.js';
import { DEFAULT_GRACE_PERIOD_SECONDS, gracePeriodSeconds } from './grace-period.js';

describe('gracePeriodSeconds', () => {
  it.each([
    [undefined, DEFAULT_GRACE_PERIOD_SECONDS],
    [0, 0],
    [120, 120],
    [-1, DEFAULT_GRACE_PERIOD_SECONDS],
    [Number.NaN, DEFAULT_GRACE_PERIOD_SECONDS],
  ])('terminationGracePeriodSeconds %s -> %s', (g, want) => {
    const vmi = vmiFixture();
    if (g === undefined) delete vmi.spec.terminationGracePeriodSeconds;
    else vmi.spec.terminationGracePeriodSeconds = g;
    expect(gracePeriodSeconds(vmi)).toBe(want);
  });
});
