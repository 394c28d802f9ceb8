import type { VmiPhase } from '../types/vmi.js';

/** Succeeded and Failed: the VMI never runs again, and its resources can go. */
export function isFinalPhase(phase: VmiPhase | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}
