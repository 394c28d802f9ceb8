// The node's identities, signed by the cluster CA like a kubeadm node's: the kubelet's client
// (CN=system:node:<name>, O=system:nodes, so the Node authorizer limits it) and serving cert
// (the apiserver checks it for logs/exec), and kube-proxy's client (system:kube-proxy, bound to
// system:node-proxier by the default RBAC).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCert } from '@qvirt/pki';
import { writeKubeconfig } from '@qvirt/testenv';

export interface NodeCredentialsInput {
  /** Directory holding ca.crt and ca.key (the control plane's pki/). */
  readonly pkiDir: string;
  readonly server: string;
  readonly nodeName: string;
  readonly nodeIp: string;
  readonly kubeletKubeconfig: string;
  readonly kubeletCert: string;
  readonly kubeletKey: string;
  readonly kubeProxyKubeconfig: string;
}

export async function writeNodeCredentials(i: NodeCredentialsInput): Promise<void> {
  const ca = { certPem: await readFile(join(i.pkiDir, 'ca.crt'), 'utf8'), keyPem: await readFile(join(i.pkiDir, 'ca.key'), 'utf8') };
  const nodeUser = `system:node:${i.nodeName}`;
  const [client, serving, proxy] = await Promise.all([
    issueCert({ ca, commonName: nodeUser, organization: 'system:nodes', usage: 'client', validityDays: 30 }),
    issueCert({ ca, commonName: nodeUser, organization: 'system:nodes', dnsNames: [i.nodeName], ipAddresses: [i.nodeIp], usage: 'server', validityDays: 30 }),
    issueCert({ ca, commonName: 'system:kube-proxy', usage: 'client', validityDays: 30 }),
  ]);
  await writeKubeconfig(i.kubeletKubeconfig, { server: i.server, caPem: ca.certPem, userName: nodeUser, user: client });
  await writeKubeconfig(i.kubeProxyKubeconfig, { server: i.server, caPem: ca.certPem, userName: 'system:kube-proxy', user: proxy });
  await writeFile(i.kubeletCert, serving.certPem);
  await writeFile(i.kubeletKey, serving.keyPem, { mode: 0o600 });
}
