import { describe, expect, it } from 'vitest';
import { VMI_PHASES } from '../types/vmi.js';
import { isFinalPhase } from './phase.js';

describe('isFinalPhase', () => {
  it.each(VMI_PHASES.map((p) => [p, p === 'Succeeded' || p === 'Failed'] as const))('%s -> %s', (phase, final) => {
    expect(isFinalPhase(phase)).toBe(final);
  });
});
