import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig-file.js';

describe('kubeconfig files', () => {
  it('client-node loads a cert kubeconfig with inline data', () => {
    const kc = new KubeConfig();
    kc.loadFromString(renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: 'CA', userName: 'admin', user: { certPem: 'CERT', keyPem: 'KEY' } }));
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://127.0.0.1:6443', caData: Buffer.from('CA').toString('base64') });
    expect(kc.getCurrentUser()).toMatchObject({
      name: 'admin',
      certData: Buffer.from('CERT').toString('base64'),
      keyData: Buffer.from('KEY').toString('base64'),
    });
  });

  it('a token kubeconfig carries the token and the context namespace; the file is private', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-test-'));
    try {
      const path = await writeKubeconfig(join(dir, 'sa.kubeconfig'), {
        server: 'https://h:1',
        caPem: 'CA',
        userName: 'sa',
        user: { token: 'tok' },
        namespace: 'ns1',
      });
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      expect(kc.getCurrentUser()?.token).toBe('tok');
      expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('ns1');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
