import { describe, expect, it } from 'vitest';
import { Expectations } from './expectations.js';

describe('Expectations', () => {
  it('is unsatisfied between our create and the informer seeing it', () => {
    const e = new Expectations();
    expect(e.satisfied('ns/a')).toBe(true);
    e.expectCreate('ns/a', 'pod-1');
    expect(e.satisfied('ns/a')).toBe(false);
    e.observeCreate('ns/a', 'other');
    expect(e.satisfied('ns/a')).toBe(false);
    e.observeCreate('ns/a', 'pod-1');
    expect(e.satisfied('ns/a')).toBe(true);
  });

  it('expires so a lost event cannot wedge a key', () => {
    let now = 0;
    const e = new Expectations(1000, () => now);
    e.expectDelete('k', 'p');
    now = 999;
    expect(e.satisfied('k')).toBe(false);
    now = 1001;
    expect(e.satisfied('k')).toBe(true);
  });
});
