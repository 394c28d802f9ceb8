import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeConfigError } from './errors.js';

/** The cluster part of a kubeconfig as client-node's KubeConfig exposes it. */
export interface ClusterInfo {
  server: string;
  caData?: string | undefined;
  caFile?: string | undefined;
  skipTLSVerify?: boolean | undefined;
  tlsServerName?: string | undefined;
}

/** The user part (client certificate, bearer token or token file, basic auth). */
export interface UserInfo {
  certData?: string | undefined;
  certFile?: string | undefined;
  keyData?: string | undefined;
  keyFile?: string | undefined;
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** client-node puts in-cluster token files here: `{name: 'tokenFile', config: {tokenFile}}`. */
  authProvider?: { name?: string; config?: Record<string, string> } | undefined;
}

/**
 * What this package needs from a kubeconfig. client-node's KubeConfig has this
 * shape, so callers may pass one (testenv does); loadKubeConfig returns our own
 * implementation, without client-node (ADR 0011).
 */
export interface KubeConfigLike {
  getCurrentCluster(): ClusterInfo | null;
  getCurrentUser(): UserInfo | null;
}

class StaticKubeConfig implements KubeConfigLike {
  constructor(
    private readonly cluster: ClusterInfo,
    private readonly user: UserInfo,
  ) {}
  getCurrentCluster(): ClusterInfo {
    return this.cluster;
  }
  getCurrentUser(): UserInfo {
    return this.user;
  }
}

interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
}

/** Parses kubeconfig YAML text; relative file paths are resolved against `baseDir`. */
export function parseKubeConfig(text: string, baseDir = process.cwd(), source = 'kubeconfig'): KubeConfigLike {
  let doc: KubeconfigDoc;
  try {
    doc = parseYaml(text) as KubeconfigDoc;
  } catch (err) {
    throw new KubeConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const ctxName = doc?.['current-context'];
  const ctx = doc?.contexts?.find((c) => c.name === ctxName)?.context ?? (doc?.contexts?.length === 1 ? doc.contexts[0]!.context : undefined);
  if (!ctx) throw new KubeConfigError(`${source}: current-context ${JSON.stringify(ctxName)} not found in contexts`);
  const c = doc.clusters?.find((x) => x.name === ctx.cluster)?.cluster;
  if (!c || typeof c.server !== 'string') throw new KubeConfigError(`${source}: cluster ${JSON.stringify(ctx.cluster)} missing or without server`);
  const u = doc.users?.find((x) => x.name === ctx.user)?.user ?? {};
  const file = (v: unknown) => (typeof v === 'string' ? (isAbsolute(v) ? v : join(baseDir, v)) : undefined);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return new StaticKubeConfig(
    {
      server: c.server,
      caData: str(c['certificate-authority-data']),
      caFile: file(c['certificate-authority']),
      skipTLSVerify: c['insecure-skip-tls-verify'] === true,
      tlsServerName: str(c['tls-server-name']),
    },
    {
      certData: str(u['client-certificate-data']),
      certFile: file(u['client-certificate']),
      keyData: str(u['client-key-data']),
      keyFile: file(u['client-key']),
      token: str(u.token),
      ...(typeof u.tokenFile === 'string' ? { authProvider: { name: 'tokenFile', config: { tokenFile: file(u.tokenFile)! } } } : {}),
      username: str(u.username),
      password: str(u.password),
    },
  );
}

/**
 * A kubeconfig file when given, else the in-cluster service account. Callers
 * (an app's config parsing) decide the path; nothing here reads process.env
 * except the in-cluster KUBERNETES_SERVICE_HOST/PORT, which only exist in a pod.
 */
export function loadKubeConfig(opts: { kubeconfigPath?: string | undefined; inClusterRoot?: string } = {}): KubeConfigLike {
  if (opts.kubeconfigPath) {
    if (!existsSync(opts.kubeconfigPath)) throw new KubeConfigError(`kubeconfig ${opts.kubeconfigPath} does not exist`);
    return parseKubeConfig(readFileSync(opts.kubeconfigPath, 'utf8'), dirname(opts.kubeconfigPath), opts.kubeconfigPath);
  }
  const root = opts.inClusterRoot ?? '/var/run/secrets/kubernetes.io/serviceaccount';
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (!existsSync(`${root}/token`) || !host || !port) {
    throw new KubeConfigError(`no kubeconfig given and not in a pod (no ${root}/token or KUBERNETES_SERVICE_HOST/PORT); pass --kubeconfig`);
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return new StaticKubeConfig(
    { server: `https://${h}:${port}`, caFile: `${root}/ca.crt` },
    { authProvider: { name: 'tokenFile', config: { tokenFile: `${root}/token` } } },
  );
}
