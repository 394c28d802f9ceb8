import type { Registry } from 'prom-client';

// Metrics on a hot path (a webhook that answers thousands of requests a second). prom-client
// hashes and validates the label set on every observe/inc: about 1 µs in a tight loop and 4-8 µs
// in a loaded server, where the caches are cold (bench/admission, ADR 0009). Here a label set is
// bound once to a series, and an update is a few number writes. prom-client's Registry stays the
// home of every other metric; these families write their text format next to it (metricsText).

export type LabelValues<L extends string> = Readonly<Record<L, string>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Text format 0.0.4: backslash and newline escaped in HELP; also the double quote in label values. */
function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(s: string): string {
  return escapeHelp(s).replace(/"/g, '\\"');
}

function sampleValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return `${n}`;
}

abstract class BoundFamily<L extends string, S> {
  /** Label values (JSON) -> the series and its label text. */
  private readonly bound = new Map<string, { labels: string; series: S }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly type: 'counter' | 'histogram',
    private readonly labelNames: readonly L[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`metric name ${JSON.stringify(name)} is not a valid Prometheus name`);
    for (const l of labelNames) {
      if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new Error(`metric ${name}: label name ${JSON.stringify(l)} is not valid`);
    }
  }

  protected abstract create(): S;
  protected abstract lines(name: string, labels: string, series: S): string[];

  /** The series for one label set, made on first use and kept: bind it once, update it per event. */
  series(labels: LabelValues<L>): S {
    const values = this.labelNames.map((n) => {
      const v = labels[n];
      if (typeof v !== 'string') throw new Error(`metric ${this.name}: label ${n} needs a string value`);
      return v;
    });
    const key = JSON.stringify(values);
    let entry = this.bound.get(key);
    if (entry === undefined) {
      entry = { labels: this.labelNames.map((n, i) => `${n}="${escapeLabelValue(values[i]!)}"`).join(','), series: this.create() };
      this.bound.set(key, entry);
    }
    return entry.series;
  }

  /** This family in the Prometheus text format (HELP, TYPE, one line per sample), no trailing newline. */
  text(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, series } of this.bound.values()) out.push(...this.lines(this.name, labels, series));
    return out.join('\n');
  }
}

export class CounterSeries {
  value = 0;

  inc(by = 1): void {
    this.value += by;
  }
}

/** A counter family whose series are bound once. The name should end in `_total`. */
export class BoundCounter<L extends string> extends BoundFamily<L, CounterSeries> {
  constructor(opts: { name: string; help: string; labelNames: readonly L[] }) {
    super(opts.name, opts.help, 'counter', opts.labelNames);
  }

  protected create(): CounterSeries {
    return new CounterSeries();
  }

  protected lines(name: string, labels: string, s: CounterSeries): string[] {
    return [`${name}${labels === '' ? '' : `{${labels}}`} ${sampleValue(s.value)}`];
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram family whose series are bound once; buckets are upper bounds (`le`), +Inf implied. */
export class BoundHistogram<L extends string> extends BoundFamily<L, HistogramSeries> {
  private readonly buckets: readonly number[];

  constructor(opts: { name: string; help: string; labelNames: readonly L[]; buckets: readonly number[] }) {
    super(opts.name, opts.help, 'histogram', opts.labelNames);
    if (opts.labelNames.some((l) => l === ('le' as string))) throw new Error(`metric ${opts.name}: le is reserved for histogram buckets`);
    const b = opts.buckets;
    if (b.some((x, i) => !Number.isFinite(x) || (i > 0 && x <= b[i - 1]!))) throw new Error(`metric ${opts.name}: buckets must be finite and increasing`);
    this.buckets = [...b];
  }

  protected create(): HistogramSeries {
    return new HistogramSeries(this.buckets);
  }

  protected lines(name: string, labels: string, s: HistogramSeries): string[] {
    // le first, then the series' labels: prom-client's order, so the two read alike.
    const rest = labels === '' ? '' : `,${labels}`;
    const out: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += s.counts[i]!;
      out.push(`${name}_bucket{le="${sampleValue(bound)}"${rest}} ${cumulative}`);
    });
    out.push(`${name}_bucket{le="+Inf"${rest}} ${s.count}`);
    const braces = labels === '' ? '' : `{${labels}}`;
    out.push(`${name}_sum${braces} ${sampleValue(s.sum)}`, `${name}_count${braces} ${s.count}`);
    return out;
  }
}

/** What /metrics serves: the registry's text, then the bound families (same format and content type). */
export async function metricsText(registry: Registry, families: readonly { text(): string }[]): Promise<string> {
  const base = await registry.metrics();
  if (families.length === 0) return base;
  return `${base}\n${families.map((f) => f.text()).join('\n\n')}\n`;
}
