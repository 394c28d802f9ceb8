// docs/metrics.md lists every metric virt-handler exports, with its type and labels, and names
// no component but the three that export metrics.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { documentedMetrics, metricsDocProblems } from '@qvirt/kube/testing';
import { discoverQat } from '@qvirt/qat';
import { buildFakeQatHost } from '@qvirt/qat/testing';
import { createHandlerMetrics } from './metrics.js';

describe('docs/metrics.md for virt-handler', () => {
  it('lists exactly the families createHandlerMetrics exports, with their types and labels', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vh-metrics-docs-'));
    try {
      const host = await buildFakeQatHost(join(root, 'h'), { pfs: [{ generation: 'c62x', vfs: 2 }] });
      const m = createHandlerMetrics('node-1');
      m.setDiscovery(await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot }));
      m.observeSync(12, 'success');
      expect(metricsDocProblems('virt-handler', await m.registry.metrics())).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('names only components that export metrics (virt-launcher exports none)', () => {
    const components = new Set(documentedMetrics().map((r) => r.component));
    expect([...components].sort()).toEqual(['virt-api', 'virt-controller', 'virt-handler']);
  });
});
