import { describe, expect, it } from 'vitest';
import { formatBytes, parseQuantity, QuantityError, tryParseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['64Mi', 64 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['500m', 0.5],
    ['2', 2],
    ['1k', 1000],
    ['1e3', 1000],
    ['128M', 128e6],
    [3, 3],
  ] as const)('%s -> %d', (input, expected) => {
    expect(parseQuantity(input)).toBe(expected);
  });

  it.each(['', 'abc', '64MB', '1..2Gi', 'Gi', '--1'])('rejects %j with the text in the message', (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(`"${input}" is not a valid quantity`);
  });

  it('rejects non-finite numbers and out-of-range values', () => {
    expect(() => parseQuantity(Number.POSITIVE_INFINITY)).toThrow('not a finite number');
    expect(() => parseQuantity('1e400')).toThrow('out of range');
    expect(tryParseQuantity('nope')).toBeUndefined();
    expect(tryParseQuantity(undefined)).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('uses the largest exact binary unit', () => {
    expect(formatBytes(2 ** 30)).toBe('1Gi');
    expect(formatBytes(1536 * 2 ** 20)).toBe('1536Mi');
    expect(formatBytes(100)).toBe('100');
  });
});
