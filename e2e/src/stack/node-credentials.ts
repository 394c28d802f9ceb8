// A kubelet-style identity for the node agent: client cert CN=system:node:<name>, O=system:nodes,
// signed by the cluster CA, so the API server's Node authorizer limits it like a real kubelet.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCert } from '@qvirt/pki';
import { writeKubeconfig } from '@qvirt/testenv';

export interface NodeCredentialsInput {
  /** Directory holding ca.crt and ca.key (the control plane's pki/). */
  readonly pkiDir: string;
  readonly server: string;
  readonly nodeName: string;
  readonly kubeconfigPath: string;
}

export async function writeNodeKubeconfig(i: NodeCredentialsInput): Promise<string> {
  const ca = { certPem: await readFile(join(i.pkiDir, 'ca.crt'), 'utf8'), keyPem: await readFile(join(i.pkiDir, 'ca.key'), 'utf8') };
  const cert = await issueCert({ ca, commonName: `system:node:${i.nodeName}`, organization: 'system:nodes', usage: 'client', validityDays: 30 });
  return writeKubeconfig(i.kubeconfigPath, { server: i.server, caPem: ca.certPem, userName: `system:node:${i.nodeName}`, user: cert });
}
