// The operator's guide (docs/*.md) names PCI IDs, drivers, sysfs paths and resource names. This
// test holds every one of them to what this package really matches, reads and advertises, so the
// guide cannot drift from the code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, type FakeQatHost } from './fake-host.js';
import { QAT_GENERATIONS, generationInfo, type QatGeneration } from './pci-ids.js';
import { pciResourceEnvName, QAT_RESOURCE_GENERIC, resourceForServices, type QatService } from './resource-names.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOC_NAMES = ['qat-host-setup.md', 'install.md', 'troubleshooting.md', 'metrics.md', 'qat-in-the-guest.md'];
const docs = DOC_NAMES.map((name) => ({ name, text: readFileSync(join(REPO, 'docs', name), 'utf8') }));

/** The markdown table right after `<!-- marker -->`, as rows of cells (header and rule dropped). */
function tableAfter(text: string, marker: string): string[][] {
  const at = text.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`no <!-- ${marker} --> in the docs`);
  const lines = text.slice(at).split('\n').slice(1);
  const rows: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows.slice(2);
}

const unquote = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

const SERVICES: readonly QatService[] = ['asym', 'sym', 'dc', 'dcc', 'decomp'];
/** Every resource name qvirt can advertise for a QAT VF. */
const QAT_RESOURCES = new Set<string>([QAT_RESOURCE_GENERIC]);
for (let mask = 1; mask < 1 << SERVICES.length; mask++) {
  const r = resourceForServices(SERVICES.filter((_, i) => mask & (1 << i)).join(';'));
  if (r.ok) QAT_RESOURCES.add(r.resourceName);
}
const QAT_IDS = new Set(QAT_GENERATIONS.flatMap((g) => [g.pfDevice, ...g.vfDevices]));

describe('the generation table in docs/qat-host-setup.md', () => {
  const rows = tableAfter(docs[0]!.text, 'qat-generations');

  it('has one row per generation packages/qat knows, with its IDs and drivers', () => {
    expect(rows.map((r) => r[0]!.toLowerCase()).sort()).toEqual(QAT_GENERATIONS.map((g) => g.generation).sort());
    for (const [gen, pf, vfs, pfDriver, vfDriver, , services, resource] of rows) {
      const info = generationInfo(gen!.toLowerCase() as QatGeneration);
      expect(unquote(pf!), gen).toEqual([`8086:${info.pfDevice}`]);
      expect(unquote(vfs!), gen).toEqual(info.vfDevices.map((d) => `8086:${d}`));
      expect(unquote(pfDriver!), gen).toEqual([info.pfDriver]);
      expect(unquote(vfDriver!), gen).toEqual([info.vfDriver]);
      expect(unquote(services!).includes('qat/cfg_services'), gen).toBe(info.configurableServices);
      expect(unquote(resource!), gen).toEqual(info.configurableServices ? [] : [QAT_RESOURCE_GENERIC]);
    }
  });

  it('maps each cfg_services set to the resource resourceForServices gives, for every service', () => {
    const rows2 = tableAfter(docs[0]!.text, 'cfg-services');
    expect(rows2.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const [services, resource] of rows2) {
      const [set] = unquote(services!);
      const r = resourceForServices(set!);
      expect(r.ok && r.resourceName, set).toBe(unquote(resource!)[0]);
      set!.split(';').forEach((s) => seen.add(s));
    }
    expect([...seen].sort()).toEqual([...SERVICES].sort());
  });
});

describe('every PCI ID, resource name and env name in the operator docs', () => {
  it.each(DOC_NAMES)('%s names only QAT IDs packages/qat matches', (name) => {
    const text = docs.find((d) => d.name === name)!.text;
    for (const m of text.matchAll(/\b8086:([0-9a-fA-F]{4})\b/g)) expect(QAT_IDS, `8086:${m[1]} in ${name}`).toContain(m[1]!.toLowerCase());
  });

  it.each(DOC_NAMES)('%s names only resources qvirt advertises', (name) => {
    const text = docs.find((d) => d.name === name)!.text;
    for (const m of text.matchAll(/qat\.intel\.com\/([a-z0-9][a-z0-9-]*)/g)) expect(QAT_RESOURCES, `${m[0]} in ${name}`).toContain(m[0]);
    for (const m of text.matchAll(/qat\.intel\.com-([a-z0-9-]+)\.sock/g)) expect(QAT_RESOURCES, `${m[0]} in ${name}`).toContain(`qat.intel.com/${m[1]}`);
  });

  it('spells every PCI_RESOURCE_ variable as pciResourceEnvName does', () => {
    const all = docs.map((d) => d.text).join('\n');
    const resourceNames = new Set([...QAT_RESOURCES, ...[...all.matchAll(/resourceName:\s*"?([A-Za-z0-9./_-]+)/g)].map((m) => m[1]!)]);
    const envNames = new Set([...resourceNames].map(pciResourceEnvName));
    const used = [...all.matchAll(/PCI_RESOURCE_[A-Z0-9_-]*[A-Z0-9]/g)].map((m) => m[0]);
    expect(used.length).toBeGreaterThan(0);
    for (const env of used) expect(envNames, env).toContain(env);
  });
});

// Paths the guide names that packages/qat does not model, each with why it is named.
const PATHS_OUTSIDE_QVIRT: Readonly<Record<string, string>> = {
  '/sys/module/vfio_pci/parameters/disable_denylist': "vfio-pci's module parameter (host setup, the denylist)",
  '/sys/bus/pci/devices/0000:6b:00.0/qat/auto_reset': "the kernel's Gen4+ auto reset (troubleshooting, heartbeat)",
};

const WILD = '\uE001';
const BDF = '[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]';

/** A path segment as a regex: placeholders and `*` match anything, BDFs any BDF, numbers any number. */
function segmentRegex(seg: string): RegExp {
  if (/^\d+$/.test(seg)) return /^\d+$/;
  const src = seg
    .split(/(\uE001|\*)/)
    .map((part) =>
      part === WILD || part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\\.[0-7]/g, BDF),
    )
    .join('');
  return new RegExp(`^${src}$`);
}

/** True when some path in the tree under `base` matches the segments (symlinks followed). */
function existsInTree(base: string, segs: readonly string[]): boolean {
  if (segs.length === 0) return true;
  const [seg, ...rest] = segs;
  if (!/[\uE001*]|\d/.test(seg!)) return existsSync(join(base, seg!)) && existsInTree(join(base, seg!), rest);
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return false;
  }
  const re = segmentRegex(seg!);
  return entries.some((e) => re.test(e) && existsInTree(join(base, e), rest));
}

/** Every `/sys/...` and `/dev/vfio...` path in a text, placeholders (`<x>`, `$x`) marked. */
function pathsIn(text: string): string[] {
  const marked = text.replace(/<[^<>\n]*>/g, WILD).replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, WILD);
  return [...marked.matchAll(/\/(?:sys|dev\/vfio)(?:\/[^\s`'")|,;]*)?/g)].map((m) => {
    const p = m[0].replace(/\/+$/, '');
    return new RegExp(`${BDF}$`).test(p) ? p : p.replace(/[.:]+$/, '');
  });
}

describe('every sysfs and /dev/vfio path in the operator docs', () => {
  const root = useTempDir('qat-docs-', { scope: 'all' });
  let host: FakeQatHost;
  beforeAll(async () => {
    // One PF per generation, each with a VF on vfio-pci and one on the generation's VF driver,
    // plus a vfio-noiommu VF: every file and link packages/qat reads or writes exists here.
    host = await buildFakeQatHost(join(root(), 'h'), {
      pfs: QAT_GENERATIONS.map((g) => ({ generation: g.generation, vfs: [{}, { driver: g.vfDriver }, { noiommu: true }] })),
    });
  });

  it.each(DOC_NAMES)('%s names only paths that exist on a QAT host as packages/qat lays it out', (name) => {
    const text = docs.find((d) => d.name === name)!.text;
    for (const path of pathsIn(text)) {
      if (PATHS_OUTSIDE_QVIRT[path.replaceAll(WILD, '<x>')] !== undefined) continue;
      const [top, ...segs] = path.split('/').filter((s) => s !== '');
      const found = top === 'sys' ? existsInTree(host.sysfsRoot, segs) : existsInTree(join(host.devRoot, 'vfio'), segs.slice(1));
      expect(found, `${path.replaceAll(WILD, '<x>')} in ${name}`).toBe(true);
    }
  });

  it('finds the paths the guide is about', () => {
    const all = docs.flatMap((d) => pathsIn(d.text)).map((p) => p.replaceAll(WILD, '<x>'));
    for (const p of [
      '/sys/bus/pci/devices/0000:3d:00.0/sriov_numvfs',
      '/sys/bus/pci/devices/0000:6b:00.0/qat/cfg_services',
      '/sys/bus/pci/drivers_probe',
      '/sys/kernel/debug/qat_c6xx_0000:3d:00.0/heartbeat/status',
    ]) {
      expect(all).toContain(p);
    }
  });

  it('really rejects a path qvirt does not know', () => {
    expect(existsInTree(host.sysfsRoot, ['kernel', 'debug', 'qat_c62x_0000:3d:00.0', 'heartbeat', 'status'])).toBe(false);
    expect(existsInTree(host.sysfsRoot, ['kernel', 'debug', 'qat_c6xx_0000:3d:00.0', 'heartbeat', 'status'])).toBe(true);
  });
});
