import { writeFile } from 'node:fs/promises';

export type KubeconfigUser = { certPem: string; keyPem: string } | { token: string };

export interface KubeconfigSpec {
  server: string;
  caPem: string;
  userName: string;
  user: KubeconfigUser;
  /** Context namespace (kubectl's default namespace). */
  namespace?: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** A self-contained kubeconfig (certificates inline). JSON is valid YAML, so kubectl and client-node read it. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const user =
    'token' in spec.user ? { token: spec.user.token } : { 'client-certificate-data': b64(spec.user.certPem), 'client-key-data': b64(spec.user.keyPem) };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'qvirt-testenv', cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caPem) } }],
    users: [{ name: spec.userName, user }],
    contexts: [{ name: spec.userName, context: { cluster: 'qvirt-testenv', user: spec.userName, ...(spec.namespace ? { namespace: spec.namespace } : {}) } }],
    'current-context': spec.userName,
  };
  return JSON.stringify(config, null, 2) + '\n';
}

export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<string> {
  await writeFile(path, renderKubeconfig(spec), { mode: 0o600 });
  return path;
}
