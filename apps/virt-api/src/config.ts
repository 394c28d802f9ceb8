import { isIP } from 'node:net';
import { flagReader, stringFlags } from '@qvirt/cli-config';

export class ServeOptionsError extends Error {
  override name = 'ServeOptionsError';
  constructor(
    readonly flag: string,
    reason: string,
  ) {
    super(`virt-api serve: ${flag}: ${reason}`);
  }
}

export type CertMode =
  | { kind: 'files'; certFile: string; keyFile: string }
  | {
      kind: 'selfSigned';
      secretNamespace: string;
      secretName: string;
      /** Where the serving pair is written for the TLS listener. */
      certDir: string;
      dnsNames: string[];
      ipAddresses: string[];
      caValidityDays: number;
      certValidityDays: number;
    };

export interface ServeOptions {
  host: string;
  port: number;
  certs: CertMode;
  /** undefined: the in-cluster service account. */
  kubeconfig: string | undefined;
  /** Namespace of kubevirt-config and the KubeVirt CR. */
  configNamespace: string;
  validatingWebhookConfiguration: string;
  mutatingWebhookConfiguration: string;
  logLevel: string;
  bodyLimitBytes: number;
  /** How often the Secret, the cert files and the webhook caBundles are re-checked. */
  certCheckIntervalMs: number;
}

export const SERVE_USAGE = `usage: virt-api [serve] [flags]
  --port N                     HTTPS port (default 8443)
  --host ADDR                  listen address (default 0.0.0.0)
  --tls-cert-file F --tls-key-file F
                               serve this cert/key, reloaded when the files change
  --self-signed-secret NS/NAME create or reuse a CA + serving cert in this Secret, keep the
                               webhook configurations' caBundle current (in-cluster mode)
  --cert-dir DIR               where the self-signed pair is written (default /var/run/virt-api/certs)
  --service virt-api.kubevirt  service the serving cert is for (DNS names NAME.NS.svc, NAME.NS.svc.cluster.local)
  --extra-san NAME|IP          more SANs for the serving cert (repeatable)
  --ca-validity-days N         (default 7)   --cert-validity-days N (default 1)
  --kubeconfig F               (default: env KUBECONFIG, else the in-cluster service account)
  --config-namespace NS        namespace of kubevirt-config and the KubeVirt CR (default kubevirt)
  --validating-webhook NAME    (default virt-api-validator)
  --mutating-webhook NAME      (default virt-api-mutator)
  --log-level LEVEL            (default info; env QVIRT_LOG_LEVEL)
  --body-limit-bytes N         (default 4194304)
  --cert-check-seconds N       (default 60)`;

const flags = flagReader((p) =>
  p.kind === 'syntax'
    ? new ServeOptionsError('flags', p.message)
    : new ServeOptionsError(p.name, p.value === undefined ? p.reason : `${p.reason}, got ${JSON.stringify(p.value)}`),
);
const MAX = Number.MAX_SAFE_INTEGER;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Parses `virt-api serve` flags (env only for defaults: KUBECONFIG, QVIRT_LOG_LEVEL) into a frozen value. */
export function parseServeOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Readonly<ServeOptions> {
  const values = flags.parse(argv, {
    ...stringFlags(
      'port',
      'host',
      'tls-cert-file',
      'tls-key-file',
      'self-signed-secret',
      'cert-dir',
      'service',
      'ca-validity-days',
      'cert-validity-days',
      'kubeconfig',
      'config-namespace',
      'validating-webhook',
      'mutating-webhook',
      'log-level',
      'body-limit-bytes',
      'cert-check-seconds',
    ),
    'extra-san': { type: 'string', multiple: true },
  });
  // 0 picks a free port (tests).
  const port = flags.wholeNumber('--port', values.port, { min: 0, max: 65535, default: 8443 });
  const certFile = values['tls-cert-file'];
  const keyFile = values['tls-key-file'];
  const secretRef = values['self-signed-secret'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ServeOptionsError(certFile === undefined ? '--tls-cert-file' : '--tls-key-file', 'give --tls-cert-file and --tls-key-file together');
  }
  let certs: CertMode;
  if (secretRef !== undefined) {
    if (certFile !== undefined)
      throw new ServeOptionsError('--self-signed-secret', 'use either --self-signed-secret or --tls-cert-file/--tls-key-file, not both');
    const [ns, name, ...rest] = secretRef.split('/');
    if (ns === undefined || name === undefined || rest.length > 0 || !DNS_LABEL.test(ns) || name === '') {
      throw new ServeOptionsError('--self-signed-secret', `expected NAMESPACE/NAME, got ${JSON.stringify(secretRef)}`);
    }
    const [svcName, svcNs, ...svcRest] = (values.service ?? 'virt-api.kubevirt').split('.');
    if (svcName === undefined || svcNs === undefined || svcRest.length > 0 || !DNS_LABEL.test(svcName) || !DNS_LABEL.test(svcNs)) {
      throw new ServeOptionsError('--service', `expected NAME.NAMESPACE, got ${JSON.stringify(values.service)}`);
    }
    const extra = values['extra-san'] ?? [];
    certs = {
      kind: 'selfSigned',
      secretNamespace: ns,
      secretName: name,
      certDir: values['cert-dir'] ?? '/var/run/virt-api/certs',
      dnsNames: [`${svcName}.${svcNs}.svc`, `${svcName}.${svcNs}.svc.cluster.local`, ...extra.filter((s) => isIP(s) === 0)],
      ipAddresses: extra.filter((s) => isIP(s) !== 0),
      caValidityDays: flags.wholeNumber('--ca-validity-days', values['ca-validity-days'], { min: 1, max: 3650, default: 7 }),
      certValidityDays: flags.wholeNumber('--cert-validity-days', values['cert-validity-days'], { min: 1, max: 3650, default: 1 }),
    };
  } else if (certFile !== undefined && keyFile !== undefined) {
    certs = { kind: 'files', certFile, keyFile };
  } else {
    throw new ServeOptionsError(
      '--tls-cert-file',
      'virt-api serves HTTPS only: give --tls-cert-file and --tls-key-file, or --self-signed-secret NAMESPACE/NAME',
    );
  }
  return Object.freeze({
    host: values.host ?? '0.0.0.0',
    port,
    certs: Object.freeze(certs),
    kubeconfig: values.kubeconfig ?? env['KUBECONFIG'],
    configNamespace: values['config-namespace'] ?? 'kubevirt',
    validatingWebhookConfiguration: values['validating-webhook'] ?? 'virt-api-validator',
    mutatingWebhookConfiguration: values['mutating-webhook'] ?? 'virt-api-mutator',
    logLevel: values['log-level'] ?? env['QVIRT_LOG_LEVEL'] ?? 'info',
    bodyLimitBytes: flags.wholeNumber('--body-limit-bytes', values['body-limit-bytes'], { min: 1, max: MAX, default: 4 * 1024 * 1024 }),
    certCheckIntervalMs: flags.wholeNumber('--cert-check-seconds', values['cert-check-seconds'], { min: 1, max: MAX, default: 60 }) * 1000,
  });
}
