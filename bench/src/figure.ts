/** One comparable figure: a value and the baseline measured in the same run. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /**
   * value / baseline (for throughputs: higher is better; say which in the name or unit); for
   * paired rounds (pairedFigure) the median of the rounds' own ratios.
   */
  ratio: number;
  note?: string;
}

export function figure(name: string, value: number, unit: string, baseline: number, note?: string): BenchFigure {
  const ratio = baseline === 0 ? 0 : value / baseline;
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(ratio, 3), ...(note ? { note } : {}) };
}

/**
 * A figure from rounds that each measured the value and its baseline back to back: value and
 * baseline are the medians, the ratio is the median of the rounds' ratios. On a machine whose
 * speed drifts between rounds, each round's pair shares the drift and its ratio cancels it,
 * where a ratio of two medians taken from different rounds does not.
 */
export function pairedFigure(name: string, rounds: readonly { value: number; baseline: number }[], unit: string, note?: string): BenchFigure {
  const median = (xs: number[]) => percentile(xs, 50);
  const f = figure(name, median(rounds.map((r) => r.value)), unit, median(rounds.map((r) => r.baseline)), note);
  return { ...f, ratio: round(median(rounds.map((r) => (r.baseline === 0 ? 0 : r.value / r.baseline))), 3) };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Runs fn repeatedly for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export function throughput(fn: () => unknown, ms = 1000): number {
  const warmUntil = performance.now() + ms / 5;
  while (performance.now() < warmUntil) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    ops += 50;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
