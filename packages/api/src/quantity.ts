import type { Quantity } from './types/meta.js';

const SUFFIX_FACTORS = new Map<string, number>([
  ...Object.entries({ Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 }),
  ...Object.entries({ n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 }),
]);
const QUANTITY_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export class QuantityError extends Error {
  override name = 'QuantityError';
}

/**
 * resource.Quantity to a number in base units (bytes, cores). Throws QuantityError with the
 * offending text; callers add the field path.
 */
export function parseQuantity(q: Quantity): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(`quantity ${q} is not a finite number`);
    return q;
  }
  if (typeof q !== 'string') throw new QuantityError(`quantity must be a string or number, got ${typeof q}`);
  const known = parsed.get(q);
  if (known !== undefined) return known;
  const result = parseQuantityText(q);
  // Bounded in entries and key size: distinct or huge quantities (hostile or not) never grow memory.
  if (q.length > PARSED_KEY_MAX) return result;
  if (parsed.size >= PARSED_CACHE_MAX) parsed.clear();
  parsed.set(q, result);
  return result;
}

/** Recently parsed quantity texts: admission sees the same few ("2Gi", "1") in every request. */
const parsed = new Map<string, number>();
const PARSED_CACHE_MAX = 512;
const PARSED_KEY_MAX = 64;

function parseQuantityText(q: string): number {
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) throw new QuantityError(`"${q}" is not a valid quantity (e.g. 512Mi, 2Gi, 500m)`);
  const value = Number(m[1]);
  const suffix = m[2] ?? '';
  // Otherwise the exponent form, e.g. 1e3.
  const factor = SUFFIX_FACTORS.get(suffix) ?? 10 ** Number(suffix.slice(1));
  const result = value * factor;
  if (!Number.isFinite(result)) throw new QuantityError(`"${q}" is out of range`);
  return result;
}

/** Parses, returning undefined instead of throwing (for callers that report errors themselves). */
export function tryParseQuantity(q: Quantity | undefined): number | undefined {
  if (q === undefined) return undefined;
  try {
    return parseQuantity(q);
  } catch {
    return undefined;
  }
}

/** Bytes as the largest exact binary-suffixed quantity ("1Gi", "1536Mi", "100"). */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['Ei', 2 ** 60],
    ['Pi', 2 ** 50],
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ];
  const whole = Math.ceil(bytes);
  for (const [suffix, factor] of units) {
    if (whole >= factor && whole % factor === 0) return `${whole / factor}${suffix}`;
  }
  return String(whole);
}
