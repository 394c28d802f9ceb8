// Command lines of the control-plane binaries: pure functions of paths and ports.

export interface EtcdFlagsInput {
  dataDir: string;
  clientPort: number;
  peerPort: number;
}

/** Single-member etcd on loopback, plain HTTP (only the local apiserver talks to it). */
export function etcdFlags(i: EtcdFlagsInput): string[] {
  const client = `http://127.0.0.1:${i.clientPort}`;
  const peer = `http://127.0.0.1:${i.peerPort}`;
  return [
    '--name=default',
    `--data-dir=${i.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--initial-cluster-state=new',
    // Test data is thrown away: skipping fsync makes writes far cheaper on shared disks.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export interface ApiserverFlagsInput {
  etcdUrl: string;
  securePort: number;
  certDir: string;
  caCert: string;
  tlsCert: string;
  tlsKey: string;
  saPublicKey: string;
  saPrivateKey: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
  serviceCidr: string;
  serviceAccountIssuer: string;
  /** Bind and advertise address; 127.0.0.1 for a test control plane. */
  address: string;
  extraFlags: string[];
}

export function apiserverFlags(i: ApiserverFlagsInput): string[] {
  return [
    `--etcd-servers=${i.etcdUrl}`,
    `--bind-address=${i.address}`,
    `--advertise-address=${i.address}`,
    // Since 1.37 the endpoint reconciler refuses a loopback address; a test control plane has no
    // pods that would reach the kubernetes Service, so it needs no endpoints for it.
    ...(isLoopback(i.address) ? ['--endpoint-reconciler-type=none'] : []),
    `--secure-port=${i.securePort}`,
    `--cert-dir=${i.certDir}`,
    `--tls-cert-file=${i.tlsCert}`,
    `--tls-private-key-file=${i.tlsKey}`,
    `--client-ca-file=${i.caCert}`,
    '--authorization-mode=Node,RBAC',
    `--service-account-issuer=${i.serviceAccountIssuer}`,
    `--service-account-key-file=${i.saPublicKey}`,
    `--service-account-signing-key-file=${i.saPrivateKey}`,
    `--service-cluster-ip-range=${i.serviceCidr}`,
    '--allow-privileged=true',
    // Towards kubelets (logs, exec, port-forward): its own client cert, the kubelet's serving
    // cert checked against the cluster CA, and the node's InternalIP (its names resolve nowhere).
    `--kubelet-client-certificate=${i.kubeletClientCert}`,
    `--kubelet-client-key=${i.kubeletClientKey}`,
    `--kubelet-certificate-authority=${i.caCert}`,
    '--kubelet-preferred-address-types=InternalIP',
    '--profiling=false',
    ...i.extraFlags,
  ];
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

export interface ComponentFlagsInput {
  kubeconfig: string;
  securePort: number;
  certDir: string;
  extraFlags: string[];
}

/** Scheduler and controller-manager share these: own kubeconfig, delegated authn/z, HTTPS healthz on loopback. */
function commonComponentFlags(i: ComponentFlagsInput): string[] {
  return [
    `--kubeconfig=${i.kubeconfig}`,
    `--authentication-kubeconfig=${i.kubeconfig}`,
    `--authorization-kubeconfig=${i.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${i.securePort}`,
    `--cert-dir=${i.certDir}`,
    // A single instance: no lease round-trips before it starts working.
    '--leader-elect=false',
    '--profiling=false',
  ];
}

export function schedulerFlags(i: ComponentFlagsInput): string[] {
  return [...commonComponentFlags(i), ...i.extraFlags];
}

export interface ControllerManagerFlagsInput extends ComponentFlagsInput {
  caCert: string;
  caKey: string;
  saPrivateKey: string;
  serviceCidr: string;
  controllers: string[];
}

export function controllerManagerFlags(i: ControllerManagerFlagsInput): string[] {
  return [
    ...commonComponentFlags(i),
    `--controllers=${i.controllers.join(',')}`,
    // Each controller acts as its own service account, as kubeadm clusters do (RBAC roles assume it).
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${i.saPrivateKey}`,
    `--root-ca-file=${i.caCert}`,
    `--cluster-signing-cert-file=${i.caCert}`,
    `--cluster-signing-key-file=${i.caKey}`,
    `--service-cluster-ip-range=${i.serviceCidr}`,
    ...i.extraFlags,
  ];
}
