import { describe, expect, it } from 'vitest';
import { apiserverFlags, controllerManagerFlags, etcdFlags } from './component-flags.js';

const flagMap = (args: string[]): Map<string, string> => new Map(args.map((a) => a.replace(/^--/, '').split(/=(.*)/s).slice(0, 2) as [string, string]));

/** The files and ports every apiserver case shares; each case adds the address and service CIDR it is about. */
const apiserverBase = {
  etcdUrl: 'http://127.0.0.1:1',
  securePort: 3,
  certDir: '/c',
  caCert: '/ca',
  tlsCert: '/t',
  tlsKey: '/k',
  saPublicKey: '/sa.pub',
  saPrivateKey: '/sa.key',
  kubeletClientCert: '/kc.crt',
  kubeletClientKey: '/kc.key',
};

describe('component flags', () => {
  it('etcd listens on loopback only, as a one-member cluster', () => {
    const f = flagMap(etcdFlags({ dataDir: '/d', clientPort: 1, peerPort: 2 }));
    expect(f.get('listen-client-urls')).toBe('http://127.0.0.1:1');
    expect(f.get('initial-cluster')).toBe('default=http://127.0.0.1:2');
  });

  it('apiserver: Node,RBAC, service-account signing, loopback, extra flags last', () => {
    const args = apiserverFlags({
      ...apiserverBase,
      serviceCidr: '10.0.0.0/24',
      serviceAccountIssuer: 'https://iss',
      address: '127.0.0.1',
      extraFlags: ['--v=4'],
    });
    const f = flagMap(args);
    expect(f.get('authorization-mode')).toBe('Node,RBAC');
    expect(f.get('service-account-signing-key-file')).toBe('/sa.key');
    expect(f.get('service-account-key-file')).toBe('/sa.pub');
    expect(f.get('service-account-issuer')).toBe('https://iss');
    expect(f.get('bind-address')).toBe('127.0.0.1');
    expect(f.get('advertise-address')).toBe('127.0.0.1');
    expect(f.get('kubelet-client-certificate')).toBe('/kc.crt');
    expect(f.get('kubelet-certificate-authority')).toBe('/ca');
    // 1.37 refuses to reconcile endpoints for a loopback address.
    expect(f.get('endpoint-reconciler-type')).toBe('none');
    expect(args.at(-1)).toBe('--v=4');
  });

  it('apiserver on a node-facing address advertises it and keeps the endpoint reconciler', () => {
    const f = flagMap(
      apiserverFlags({
        ...apiserverBase,
        serviceCidr: '10.96.0.0/16',
        serviceAccountIssuer: 'https://iss',
        address: '10.213.0.1',
        extraFlags: [],
      }),
    );
    expect(f.get('bind-address')).toBe('10.213.0.1');
    expect(f.get('advertise-address')).toBe('10.213.0.1');
    expect(f.has('endpoint-reconciler-type')).toBe(false);
  });

  it('controller-manager uses per-controller service accounts and the given controllers', () => {
    const f = flagMap(
      controllerManagerFlags({
        kubeconfig: '/kc',
        securePort: 4,
        certDir: '/c',
        extraFlags: [],
        caCert: '/ca',
        caKey: '/cak',
        saPrivateKey: '/sa',
        serviceCidr: '10.0.0.0/24',
        controllers: ['*', '-nodelifecycle'],
      }),
    );
    expect(f.get('controllers')).toBe('*,-nodelifecycle');
    expect(f.get('use-service-account-credentials')).toBe('true');
    expect(f.get('authentication-kubeconfig')).toBe('/kc');
  });
});
