import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as https from 'node:https';
import { describe, expect, it } from 'vitest';
import { createCA } from './ca.js';
import { issueCert } from './issue.js';

const EKU_SERVER = '1.3.6.1.5.5.7.3.1';
const EKU_CLIENT = '1.3.6.1.5.5.7.3.2';

describe('issueCert', () => {
  it('issues a server certificate that chains to the CA and carries the SANs', async () => {
    const ca = await createCA({ commonName: 'ca', validityDays: 1 });
    const leaf = await issueCert({
      ca,
      commonName: 'kube-apiserver',
      dnsNames: ['localhost', 'kubernetes.default.svc'],
      ipAddresses: ['127.0.0.1', '::1'],
      usage: 'server',
      validityDays: 1,
    });
    const cert = new X509Certificate(leaf.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe('DNS:localhost, DNS:kubernetes.default.svc, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.keyUsage).toEqual([EKU_SERVER]);
    expect(cert.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('issues a client certificate with clientAuth EKU and the organizations as O=', async () => {
    const ca = await createCA({ commonName: 'ca', validityDays: 1, keyAlgorithm: 'rsa-2048' });
    const leaf = await issueCert({ ca, commonName: 'admin', organization: ['system:masters', 'team'], usage: 'client', validityDays: 1 });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual([EKU_CLIENT]);
    expect(cert.subject.split('\n')).toEqual(['CN=admin', 'O=system:masters', 'O=team']);
  });

  it('serves mutual TLS: a client trusting the CA reaches the server, which sees the client cert', async () => {
    const ca = await createCA({ commonName: 'ca', validityDays: 1 });
    const server = await issueCert({ ca, commonName: 'srv', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
    const client = await issueCert({ ca, commonName: 'alice', organization: 'devs', usage: 'client', validityDays: 1 });
    const srv = https.createServer({ cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(`${peer.subject.CN}/${String(peer.subject.O)}`);
    });
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    try {
      const { port } = srv.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path: '/', ca: ca.certPem, cert: client.certPem, key: client.keyPem }, (res) => {
            let data = '';
            res.on('data', (c: Buffer) => (data += c.toString()));
            res.on('end', () => resolve(data));
          })
          .on('error', reject);
      });
      expect(body).toBe('alice/devs');
    } finally {
      srv.close();
    }
  });

  it('a server certificate from another CA is rejected by a client trusting only ours', async () => {
    const ours = await createCA({ commonName: 'ours', validityDays: 1 });
    const theirs = await createCA({ commonName: 'theirs', validityDays: 1 });
    const leaf = await issueCert({ ca: theirs, commonName: 'x', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
    expect(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(ours.certPem))).toBe(false);
  });

  it('rejects bad input with the field named', async () => {
    const ca = await createCA({ commonName: 'ca', validityDays: 1 });
    await expect(issueCert({ ca, commonName: 's', usage: 'server', validityDays: 1 })).rejects.toThrow(
      /^dnsNames: a server certificate needs at least one DNS name or IP address/,
    );
    await expect(issueCert({ ca, commonName: 's', ipAddresses: ['300.1.1.1'], usage: 'server', validityDays: 1 })).rejects.toThrow(
      'ipAddresses[0]: "300.1.1.1" is not an IPv4 or IPv6 address',
    );
    await expect(issueCert({ ca, commonName: 's', dnsNames: ['a b'], usage: 'server', validityDays: 1 })).rejects.toThrow(
      'dnsNames[0]: "a b" is not a valid DNS name',
    );
    const leaf = await issueCert({ ca, commonName: 'c', usage: 'client', validityDays: 1 });
    await expect(issueCert({ ca: leaf, commonName: 'c', usage: 'client', validityDays: 1 })).rejects.toThrow(/^ca.certPem: CN=c is not a CA certificate/);
    const other = await createCA({ commonName: 'other', validityDays: 1 });
    await expect(issueCert({ ca: { certPem: ca.certPem, keyPem: other.keyPem }, commonName: 'c', usage: 'client', validityDays: 1 })).rejects.toThrow(
      'ca.keyPem: the CA private key does not match ca.certPem',
    );
    await expect(issueCert({ ca: { certPem: ca.certPem, keyPem: 'nope' }, commonName: 'c', usage: 'client', validityDays: 1 })).rejects.toThrow(
      /^ca.keyPem: not a PKCS#8 PEM private key/,
    );
  });
});
