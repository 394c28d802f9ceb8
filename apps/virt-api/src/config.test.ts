import { describe, expect, it } from 'vitest';
import { parseServeOptions, ServeOptionsError } from './config.js';

describe('parseServeOptions', () => {
  it('explicit cert files', () => {
    const o = parseServeOptions(['--tls-cert-file', '/c.pem', '--tls-key-file=/k.pem', '--port', '0'], { KUBECONFIG: '/kc' });
    expect(o).toMatchObject({ host: '0.0.0.0', port: 0, certs: { kind: 'files', certFile: '/c.pem', keyFile: '/k.pem' }, kubeconfig: '/kc', logLevel: 'info' });
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('self-signed Secret mode with the service names and extra SANs', () => {
    const o = parseServeOptions(['--self-signed-secret', 'kubevirt/kubevirt-virt-api-certs', '--extra-san', '127.0.0.1', '--extra-san', 'localhost']);
    expect(o.certs).toEqual({
      kind: 'selfSigned',
      secretNamespace: 'kubevirt',
      secretName: 'kubevirt-virt-api-certs',
      certDir: '/var/run/virt-api/certs',
      dnsNames: ['virt-api.kubevirt.svc', 'virt-api.kubevirt.svc.cluster.local', 'localhost'],
      ipAddresses: ['127.0.0.1'],
      caValidityDays: 7,
      certValidityDays: 1,
    });
    expect(o.port).toBe(8443);
  });

  it.each([
    [[], '--tls-cert-file', /serves HTTPS only/],
    [['--tls-cert-file', '/c'], '--tls-key-file', /together/],
    [['--self-signed-secret', 'nons', '--port', '1'], '--self-signed-secret', /expected NAMESPACE\/NAME, got "nons"/],
    [['--self-signed-secret', 'a/b', '--tls-cert-file', 'c', '--tls-key-file', 'k'], '--self-signed-secret', /not both/],
    [
      ['--tls-cert-file', 'c', '--tls-key-file', 'k', '--port', '70000'],
      '--port',
      /^virt-api serve: --port: must be a whole number from 0 to 65535, got "70000"$/,
    ],
    [['--tls-cert-file', 'c', '--tls-key-file', 'k', '--port', 'x'], '--port', /--port: must be a whole number from 0 to 65535, got "x"/],
    [['--bogus'], 'flags', /Unknown option '--bogus'/],
  ])('rejects %j naming %s', (argv, flag, message) => {
    let err: unknown;
    try {
      parseServeOptions(argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ServeOptionsError);
    expect((err as ServeOptionsError).flag).toBe(flag);
    expect((err as Error).message).toMatch(message);
  });
});
