// deploy/ against the real API server: the CRDs applied for real, then every rendered manifest
// (base, kind overlay, and `kubectl apply -k deploy/`) applied with --server-side --dry-run=server,
// so the apiserver's own validation, defaulting and admission judge them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('../', import.meta.url));
// Rendered manifests are arbitrary JSON trees.
type Doc = Record<string, any>;

let cp: ControlPlane;

async function kubectl(args: string[], stdin?: string): Promise<string> {
  const r = await cp.kubectl(args, stdin === undefined ? { timeoutMs: 120_000 } : { stdin, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

const render = async (dir: string): Promise<Doc[]> => parseAllDocuments(await kubectl(['kustomize', join(root, dir)])).map((d) => d.toJS() as Doc);

beforeAll(async () => {
  cp = await startControlPlane();
  // Same field manager as the dry runs below, so re-applying the CRDs is an update, not a conflict.
  await kubectl(['apply', '--server-side', '--field-manager=qvirt-deploy-test', '-f', join(root, 'deploy/crds')]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  // Namespaced objects can only be dry-run into a namespace that exists.
  await kubectl(['create', 'namespace', 'kubevirt']);
});

afterAll(() => cp?.stop());

describe('deploy/ manifests', () => {
  it.each(['deploy/base', 'deploy/overlays/kind', 'deploy/overlays/local', 'deploy'])('%s passes server-side dry-run apply', async (dir) => {
    const rendered = await kubectl(['kustomize', join(root, dir)]);
    const out = await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=qvirt-deploy-test', '-f', '-'], rendered);
    const kinds = parseAllDocuments(rendered).length;
    expect(out.trim().split('\n')).toHaveLength(kinds);
    expect(out).toMatch(/serverside-applied \(server dry run\)/);
  });

  it('base: the components, webhooks and RBAC the contracts name', async () => {
    const docs = await render('deploy/base');
    const byKind = (kind: string) => docs.filter((d) => d['kind'] === kind);
    expect(docs.filter((d) => d['metadata'].namespace !== undefined).every((d) => d['metadata'].namespace === 'kubevirt')).toBe(true);
    expect(byKind('Deployment').map((d) => [d['metadata'].name, d['spec'].replicas])).toEqual([
      ['virt-api', 2],
      ['virt-controller', 2],
    ]);
    expect(byKind('DaemonSet').map((d) => d['metadata'].name)).toEqual(['virt-handler']);
    expect(
      byKind('ServiceAccount')
        .map((d) => d['metadata'].name)
        .sort(),
    ).toEqual(['kubevirt-controller', 'virt-api', 'virt-handler']);
    const cm = byKind('ConfigMap').find((d) => d['metadata'].name === 'kubevirt-config');
    expect(cm?.['data']).toEqual({ 'feature-gates': '' });

    const api = byKind('Deployment').find((d) => d['metadata'].name === 'virt-api')!;
    const container = api['spec'].template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'https', scheme: 'HTTPS' });
    expect(container.args).toContain('--self-signed-secret=kubevirt/kubevirt-virt-api-certs');

    const webhooks = [...byKind('ValidatingWebhookConfiguration'), ...byKind('MutatingWebhookConfiguration')];
    expect(webhooks.map((w) => w['metadata'].name)).toEqual(['virt-api-validator', 'virt-api-mutator']);
    const paths = webhooks.flatMap((cfg) =>
      cfg['webhooks'].map((w: Doc) => {
        expect(w).toMatchObject({ failurePolicy: 'Fail', sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 10 });
        expect(w['clientConfig'].service).toMatchObject({ name: 'virt-api', namespace: 'kubevirt', port: 443 });
        return `${w['clientConfig'].service.path} ${w['rules'][0].resources[0]} ${w['rules'][0].operations.join(',')}`;
      }),
    );
    expect(paths).toEqual([
      '/virtualmachineinstances-validate-create virtualmachineinstances CREATE',
      '/virtualmachineinstances-validate-update virtualmachineinstances UPDATE',
      '/virtualmachines-validate virtualmachines CREATE,UPDATE',
      '/virtualmachineinstances-mutate virtualmachineinstances CREATE',
      '/virtualmachines-mutate virtualmachines CREATE,UPDATE',
    ]);
  });

  it.each(['deploy/overlays/kind', 'deploy/overlays/local'])('%s: the images built here (scripts/images.sh), never pulled', async (dir) => {
    const docs = await render(dir);
    const containers = docs.filter((d) => ['Deployment', 'DaemonSet'].includes(d['kind'])).map((d) => d['spec'].template.spec.containers[0]);
    expect(containers.map((c: Doc) => c['image']).sort()).toEqual([
      'localhost/qvirt/virt-api:0.1.0',
      'localhost/qvirt/virt-controller:0.1.0',
      'localhost/qvirt/virt-handler:0.1.0',
    ]);
    expect(containers.every((c: Doc) => c['imagePullPolicy'] === 'IfNotPresent')).toBe(true);
    const controller = docs.find((d) => d['metadata'].name === 'virt-controller' && d['kind'] === 'Deployment')!['spec'].template.spec.containers[0];
    expect(controller.env.find((e: Doc) => e['name'] === 'QVIRT_LAUNCHER_IMAGE').value).toBe('localhost/qvirt/virt-launcher:0.1.0');
    expect(docs.filter((d) => d['kind'] === 'CustomResourceDefinition')).toHaveLength(0);
  });

  it('local overlay: exactly deploy/base but for images, pull policy, the simulated QAT host of virt-handler and SYS_RESOURCE this machine cannot grant', async () => {
    const [base, local] = [await render('deploy/base'), await render('deploy/overlays/local')];
    expect(local.map((d) => `${d['kind']}/${d['metadata'].name}`)).toEqual(base.map((d) => `${d['kind']}/${d['metadata'].name}`));
    const strip = (d: Doc): Doc => {
      const c = structuredClone(d);
      const pod = c['spec']?.template?.spec;
      if (!pod) return c;
      for (const ctr of pod.containers) {
        delete ctr.image;
        delete ctr.imagePullPolicy;
        ctr.env = (ctr.env ?? []).filter(
          (e: Doc) => !['QVIRT_LAUNCHER_IMAGE', 'QVIRT_VFIO_SYS_RESOURCE', 'QVIRT_SYSFS_ROOT', 'QVIRT_DEV_ROOT'].includes(e['name']),
        );
        ctr.volumeMounts = (ctr.volumeMounts ?? []).filter((m: Doc) => m['name'] !== 'simulated-qat-host');
      }
      pod.volumes = (pod.volumes ?? []).filter((v: Doc) => v['name'] !== 'simulated-qat-host');
      return c;
    };
    expect(local.map(strip)).toEqual(base.map(strip));
    const handler = local.find((d) => d['kind'] === 'DaemonSet')!['spec'].template.spec;
    expect(handler.volumes.find((v: Doc) => v['name'] === 'simulated-qat-host').hostPath.path).toBe('/var/lib/qvirt/qat-host');
    expect(handler.containers[0].env.filter((e: Doc) => e['name'].startsWith('QVIRT_'))).toEqual([
      { name: 'QVIRT_SYSFS_ROOT', value: '/var/lib/qvirt/qat-host/sys' },
      { name: 'QVIRT_DEV_ROOT', value: '/var/lib/qvirt/qat-host/dev' },
    ]);
  });

  it('`kubectl apply -k deploy/` brings the CRDs along', async () => {
    expect((await render('deploy')).filter((d) => d['kind'] === 'CustomResourceDefinition')).toHaveLength(3);
  });

  it('every RBAC rule says why', () => {
    for (const component of readdirSync(join(root, 'deploy/base'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const lines = readFileSync(join(root, 'deploy/base', component.name, 'rbac.yaml'), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/^\s*- apiGroups:/.test(line)) return;
        expect(lines[i - 1], `${component.name}/rbac.yaml:${i + 1}: the line above a rule must be a comment saying why`).toMatch(/^\s*#/);
      });
    }
  });
});
