import { describe, expect, it } from 'vitest';
import { validateRunStrategy } from './run-strategy.rule.js';

describe('validateRunStrategy', () => {
  it("denies running together with runStrategy (KubeVirt's message)", () => {
    expect(validateRunStrategy('spec', { running: true, runStrategy: 'Always' })).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.running', message: 'Running and RunStrategy are mutually exclusive' },
    ]);
  });

  it('wants one of them', () => {
    expect(validateRunStrategy('spec', {})).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.running', message: 'One of Running or RunStrategy must be specified' },
    ]);
    expect(validateRunStrategy('spec', { running: false })).toEqual([]);
    expect(validateRunStrategy('spec', { runStrategy: 'Halted' })).toEqual([]);
  });
});
