import { generateKeyPair } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCA, issueCert, type CertificateAuthority, type IssuedCert } from '@qvirt/pki';

/** In-cluster names of the kubernetes Service that the serving certificate must carry. */
const APISERVER_DNS = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

export interface ControlPlanePki {
  ca: CertificateAuthority;
  apiserver: IssuedCert;
  admin: IssuedCert;
  scheduler: IssuedCert;
  controllerManager: IssuedCert;
  /** The apiserver's client identity towards kubelets (logs, exec, port-forward). */
  kubeletClient: IssuedCert;
  serviceAccount: { privateKeyPem: string; publicKeyPem: string };
  /** File paths of everything above, for the binaries' flags. */
  files: {
    caCert: string;
    caKey: string;
    apiserverCert: string;
    apiserverKey: string;
    saPrivateKey: string;
    saPublicKey: string;
    kubeletClientCert: string;
    kubeletClientKey: string;
  };
}

/** Everything the control plane's TLS and service-account tokens need, written under dir. */
export async function createControlPlanePki(dir: string, sans: { dnsNames: string[]; ipAddresses: string[] }): Promise<ControlPlanePki> {
  const ca = await createCA({ commonName: 'qvirt-testenv-ca', validityDays: 7 });
  const client = (commonName: string, organization?: string): Promise<IssuedCert> =>
    issueCert({ ca, commonName, organization, usage: 'client', validityDays: 7 });
  const [apiserver, admin, scheduler, controllerManager, kubeletClient, sa] = await Promise.all([
    issueCert({
      ca,
      commonName: 'kube-apiserver',
      dnsNames: [...APISERVER_DNS, ...sans.dnsNames],
      ipAddresses: sans.ipAddresses,
      usage: 'server',
      validityDays: 7,
    }),
    client('qvirt-testenv-admin', 'system:masters'),
    client('system:kube-scheduler'),
    client('system:kube-controller-manager'),
    // As kubeadm's apiserver-kubelet-client: the kubelet's webhook authorizer lets masters in.
    client('kube-apiserver-kubelet-client', 'system:masters'),
    promisify(generateKeyPair)('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }),
  ]);
  const files = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    saPrivateKey: join(dir, 'sa.key'),
    saPublicKey: join(dir, 'sa.pub'),
    kubeletClientCert: join(dir, 'apiserver-kubelet-client.crt'),
    kubeletClientKey: join(dir, 'apiserver-kubelet-client.key'),
  };
  await Promise.all([
    writeFile(files.caCert, ca.certPem),
    writeFile(files.caKey, ca.keyPem, { mode: 0o600 }),
    writeFile(files.apiserverCert, apiserver.certPem),
    writeFile(files.apiserverKey, apiserver.keyPem, { mode: 0o600 }),
    writeFile(files.saPrivateKey, sa.privateKey, { mode: 0o600 }),
    writeFile(files.saPublicKey, sa.publicKey),
    writeFile(files.kubeletClientCert, kubeletClient.certPem),
    writeFile(files.kubeletClientKey, kubeletClient.keyPem, { mode: 0o600 }),
  ]);
  return {
    ca,
    apiserver,
    admin,
    scheduler,
    controllerManager,
    kubeletClient,
    serviceAccount: { privateKeyPem: sa.privateKey, publicKeyPem: sa.publicKey },
    files,
  };
}
