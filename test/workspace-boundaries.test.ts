// The house rules that keep apps thin and packages honest (issue #19), checked over the real
// tree: apps are leaves (a bin, no exports, imported by nobody), no workspace reaches into
// another's files by relative path, and each shared fact has one implementation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Workspace {
  dir: string;
  name: string;
  pkg: { name: string; bin?: unknown; exports?: unknown; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
}

const workspaces: Workspace[] = [...['packages', 'apps'].flatMap((top) => readdirSync(join(REPO, top)).map((d) => join(top, d))), 'e2e', 'bench']
  .filter((dir) => statSync(join(REPO, dir, 'package.json'), { throwIfNoEntry: false }))
  .map((dir) => {
    const pkg = JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Workspace['pkg'];
    return { dir, name: pkg.name, pkg };
  });
const apps = workspaces.filter((w) => w.dir.startsWith(`apps${sep}`) || w.dir.startsWith('apps/'));

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'conformance') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The workspace a repo path lies in, if any. */
function workspaceOf(path: string): Workspace | undefined {
  const rel = relative(REPO, path);
  return workspaces.find((w) => rel === w.dir || rel.startsWith(w.dir + sep));
}

const files = workspaces.flatMap((w) => tsFiles(join(REPO, w.dir)).map((file) => ({ file, ws: w, text: readFileSync(file, 'utf8') })));

describe('workspace boundaries', () => {
  it('finds the workspaces', () => {
    expect(apps.map((a) => a.name).sort()).toEqual(['@qvirt/virt-api', '@qvirt/virt-controller', '@qvirt/virt-handler', '@qvirt/virt-launcher']);
    expect(files.length).toBeGreaterThan(300);
  });

  it.each(apps.map((a) => [a.name, a] as const))('%s is a leaf: a bin, no exports', (_, app) => {
    expect(app.pkg.bin).toBeDefined();
    expect(app.pkg.exports).toBeUndefined();
  });

  it('no workspace depends on or imports an app but the app itself', () => {
    const appNames = new Set(apps.map((a) => a.name));
    for (const w of workspaces) {
      for (const dep of Object.keys({ ...w.pkg.dependencies, ...w.pkg.devDependencies })) expect(appNames.has(dep), `${w.dir} depends on ${dep}`).toBe(false);
    }
    const offenders = files.filter(({ ws, text }) => [...appNames].some((n) => n !== ws.name && new RegExp(`from '${n}(/[^']*)?'`).test(text)));
    expect(offenders.map((o) => relative(REPO, o.file))).toEqual([]);
  });

  it("no file reaches into another workspace's files by relative path (imports, URLs, joins)", () => {
    const crossings: string[] = [];
    const spec = /(?:from\s+|import\(\s*|new URL\(\s*)'(\.\.?\/[^']*)'/g;
    for (const { file, ws, text } of files) {
      for (const m of text.matchAll(spec)) {
        const target = workspaceOf(resolve(dirname(file), m[1]!));
        if (target && target !== ws) crossings.push(`${relative(REPO, file)} -> ${m[1]}`);
      }
      // Paths spelled from the repo root, e.g. join(REPO, 'apps/virt-launcher/...').
      for (const m of text.matchAll(/['`](?:\$\{[A-Za-z_]+\}\/?)?((?:apps|packages)\/[a-z-]+)\/(?:src|dist|bin|test)\b/g)) {
        const target = workspaces.find((w) => w.dir === m[1]);
        if (target && target !== ws && !/^\s*(\/\/|\*)/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index)))
          crossings.push(`${relative(REPO, file)} -> ${m[1]}`);
      }
    }
    expect(crossings).toEqual([]);
  });
});

describe('one implementation of each shared fact', () => {
  const definitions = (re: RegExp) => files.filter(({ file, text }) => !file.endsWith('.test.ts') && re.test(text)).map(({ file }) => relative(REPO, file));

  it.each([
    ['the poll helper', /export (async )?function eventually\b/, ['packages/testing/src/eventually.ts']],
    ['the temp-dir helper', /export function useTempDir\b/, ['packages/testing/src/temp-dir.ts']],
    ['guest memory', /function guestMemory(Bytes|KiB)\b/, ['packages/api/src/vmi-facts/memory.ts']],
    ['the memory overhead', /function memoryOverheadBytes\b/, ['packages/api/src/vmi-facts/memory.ts']],
    ['the vCPU count', /function (vcpuCount|cpuTopology)\b/, ['packages/api/src/vmi-facts/cpu.ts']],
    ['the device requests', /function (deviceRequests|requestedResources|hasVfioDevices|hasHostDevices)\b/, ['packages/api/src/vmi-facts/devices.ts']],
    [
      'the permitted check',
      /function (isResourcePermitted|resourcePermitted|notPermittedDevices)\b/,
      ['packages/api/src/cluster-config.ts', 'packages/api/src/vmi-facts/devices.ts'],
    ],
    ['the final phase', /function isFinal(Phase)?\b/, ['packages/api/src/vmi-facts/phase.ts']],
    ['the shutdown planner', /function planShutdown\b/, ['packages/domain/src/shutdown.plan.ts']],
    ['the key parser', /function (parseKey|splitKey)\b/, ['packages/kube/src/object-store.ts']],
  ])('%s', (_, re, homes) => {
    expect(definitions(re).sort()).toEqual([...homes].sort());
  });

  it('no two packages export the same name from their main entries', () => {
    const exported = new Map<string, string[]>();
    for (const w of workspaces.filter((x) => x.dir.startsWith('packages'))) {
      const index = join(REPO, w.dir, 'src', 'index.ts');
      if (!statSync(index, { throwIfNoEntry: false })) continue;
      const text = readFileSync(index, 'utf8');
      for (const block of text.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
        for (const raw of block[1]!.split(',')) {
          const name = raw
            .replace(/\btype\s+/, '')
            .split(/\s+as\s+/)
            .pop()!
            .trim();
          if (name) exported.set(name, [...(exported.get(name) ?? []), w.name]);
        }
      }
    }
    const twice = [...exported].filter(([, owners]) => new Set(owners).size > 1).map(([n, owners]) => `${n}: ${owners.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it("@qvirt/api's main entry loads neither a YAML parser nor the CRD renderer", () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else external.add(spec);
      }
    };
    visit(join(REPO, 'packages/api/src/index.ts'));
    expect([...external]).toEqual([]);
    expect([...seen].map((f) => relative(REPO, f)).filter((f) => f.includes('/crd/'))).toEqual([]);
  });
});
