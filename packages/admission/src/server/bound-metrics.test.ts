import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BoundCounter, BoundHistogram, metricsText } from './bound-metrics.js';

/** The sample lines of a text block, sorted (families may order their series differently). */
function samples(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .sort();
}

describe('BoundHistogram', () => {
  const buckets = [0.001, 0.01, 0.1, 1];

  it('writes exactly what prom-client writes for the same observations', async () => {
    const registry = new Registry();
    const reference = new Histogram({ name: 'req_seconds', help: 'latency', labelNames: ['path', 'code'], buckets, registers: [registry] });
    const bound = new BoundHistogram({ name: 'req_seconds', help: 'latency', labelNames: ['path', 'code'], buckets });
    const observations: [string, string, number][] = [
      ['/a', '200', 0.0005],
      ['/a', '200', 0.001], // on a bound: counted in that bucket (le is inclusive)
      ['/a', '200', 0.05],
      ['/a', '200', 7], // above every bound: only +Inf
      ['/b', '400', 0.2],
    ];
    for (const [path, code, v] of observations) {
      reference.observe({ path, code }, v);
      bound.series({ path, code }).observe(v);
    }
    expect(samples(bound.text())).toEqual(samples(await registry.metrics()));
    expect(bound.text()).toContain('req_seconds_bucket{le="0.01",path="/a",code="200"} 2');
    expect(bound.text()).toContain('req_seconds_bucket{le="+Inf",path="/a",code="200"} 4');
    expect(bound.text()).toContain('req_seconds_count{path="/b",code="400"} 1');
  });

  it('binds a label set once: the same values give the same series, in any key order', () => {
    const h = new BoundHistogram({ name: 'x_seconds', help: 'x', labelNames: ['a', 'b'], buckets });
    const s = h.series({ a: '1', b: '2' });
    expect(h.series({ b: '2', a: '1' })).toBe(s);
    expect(h.series({ a: '1', b: '3' })).not.toBe(s);
    s.observe(0.02);
    expect(s.count).toBe(1);
    expect(s.sum).toBe(0.02);
  });

  it('escapes label values and help as the text format requires', async () => {
    const registry = new Registry();
    const help = 'a \\ help\nline';
    new Histogram({ name: 'esc_seconds', help, labelNames: ['p'], buckets, registers: [registry] }).observe({ p: 'q"\\\n' }, 0.5);
    const bound = new BoundHistogram({ name: 'esc_seconds', help, labelNames: ['p'], buckets });
    bound.series({ p: 'q"\\\n' }).observe(0.5);
    expect(samples(bound.text())).toEqual(samples(await registry.metrics()));
    expect(bound.text()).toContain('esc_seconds_count{p="q\\"\\\\\\n"} 1');
  });

  it('refuses bad names, the le label and unordered buckets at construction', () => {
    expect(() => new BoundHistogram({ name: 'bad-name', help: 'h', labelNames: [], buckets })).toThrow('is not a valid Prometheus name');
    expect(() => new BoundHistogram({ name: 'h_seconds', help: 'h', labelNames: ['le'], buckets })).toThrow('le is reserved');
    expect(() => new BoundHistogram({ name: 'h_seconds', help: 'h', labelNames: ['__x'], buckets })).toThrow('label name "__x" is not valid');
    expect(() => new BoundHistogram({ name: 'h_seconds', help: 'h', labelNames: [], buckets: [1, 0.5] })).toThrow('increasing');
  });

  it('writes a family without labels', async () => {
    const registry = new Registry();
    new Histogram({ name: 'plain_seconds', help: 'p', buckets, registers: [registry] }).observe(0.002);
    const bound = new BoundHistogram({ name: 'plain_seconds', help: 'p', labelNames: [], buckets });
    bound.series({}).observe(0.002);
    expect(samples(bound.text())).toEqual(samples(await registry.metrics()));
  });
});

describe('BoundCounter', () => {
  it('writes exactly what prom-client writes for the same increments', async () => {
    const registry = new Registry();
    const reference = new Counter({ name: 'decisions_total', help: 'd', labelNames: ['webhook', 'outcome'], registers: [registry] });
    const bound = new BoundCounter({ name: 'decisions_total', help: 'd', labelNames: ['webhook', 'outcome'] });
    reference.inc({ webhook: 'w', outcome: 'allowed' }, 3);
    reference.inc({ webhook: 'w', outcome: 'denied' });
    const allowed = bound.series({ webhook: 'w', outcome: 'allowed' });
    allowed.inc();
    allowed.inc(2);
    bound.series({ webhook: 'w', outcome: 'denied' }).inc();
    expect(samples(bound.text())).toEqual(samples(await registry.metrics()));
  });

  it('needs every label, as a string', () => {
    const c = new BoundCounter({ name: 'c_total', help: 'c', labelNames: ['a'] });
    expect(() => c.series({} as { a: string })).toThrow('metric c_total: label a needs a string value');
  });
});

describe('metricsText', () => {
  it('serves the registry and the bound families as one text document', async () => {
    const registry = new Registry();
    new Gauge({ name: 'up', help: 'up', registers: [registry] }).set(1);
    const c = new BoundCounter({ name: 'c_total', help: 'c', labelNames: [] });
    c.series({}).inc();
    const text = await metricsText(registry, [c]);
    expect(text).toBe('# HELP up up\n# TYPE up gauge\nup 1\n\n# HELP c_total c\n# TYPE c_total counter\nc_total 1\n');
    expect(await metricsText(registry, [])).toBe(await registry.metrics());
  });
});
