// The handler's connection to one VMI's launcher: its gRPC socket (Ping, GetAllocation) and
// its private libvirtd over FFI (one LibvirtConnection per VMI). The reconciler sees only
// these interfaces, so it is tested with InMemoryDomainManager and no daemon.
import { existsSync } from 'node:fs';
import { LauncherClient, type ResourceAllocation } from '@qvirt/launcher-rpc';
import { LibvirtConnection, libvirtDomainManager, qemuUnixUri, type DomainManager, type LifecycleEvent } from '@qvirt/libvirt';
import type { Logger } from '@qvirt/log';

export interface LauncherSession {
  readonly domains: DomainManager;
  /** The file the domain's serial console must write to (from Ping). */
  readonly consoleLog: string;
  getAllocation(resourceNames: readonly string[]): Promise<ResourceAllocation[]>;
  /** Drops the gRPC client and the libvirt connection; the domain is not touched. */
  close(): Promise<void>;
}

export interface SessionHooks {
  onLifecycle(e: LifecycleEvent): void;
  /** libvirt dropped the connection (launcher/libvirtd gone, keepalive timeout). */
  onLost(cause: string): void;
}

export type OpenResult = { kind: 'open'; session: LauncherSession } | { kind: 'notReady'; cause: string };

/** What the reconciler needs to reach launchers. */
export interface LauncherConnector {
  socketExists(socketPath: string): boolean;
  /** Pings the launcher; when ready, opens its libvirt socket. Throws when nothing answers. */
  open(socketPath: string, hooks: SessionHooks): Promise<OpenResult>;
}

export interface LibvirtConnectorOptions {
  logger: Logger;
  pingDeadlineMs?: number;
  /** libvirt keepalive for the per-VMI connections. */
  keepAlive?: { intervalSec: number; count: number };
}

export function libvirtLauncherConnector(o: LibvirtConnectorOptions): LauncherConnector {
  return {
    socketExists: (p) => existsSync(p),
    async open(socketPath, hooks) {
      const client = LauncherClient.connect(socketPath);
      let conn: LibvirtConnection | undefined;
      try {
        const ping = await client.ping({ deadlineMs: o.pingDeadlineMs ?? 2000 });
        if (!ping.ready) {
          client.close();
          return { kind: 'notReady', cause: `launcher at ${socketPath} is not ready yet` };
        }
        conn = await LibvirtConnection.open(qemuUnixUri(ping.libvirtSocket), { logger: o.logger, keepAlive: o.keepAlive ?? { intervalSec: 5, count: 3 } });
        const c = conn;
        c.onClose((reason) => hooks.onLost(`connection to its libvirtd closed (${reason})`));
        await c.onLifecycle((e) => hooks.onLifecycle(e));
        const session: LauncherSession = {
          domains: libvirtDomainManager(c),
          consoleLog: ping.consoleLog,
          getAllocation: (names) => client.getAllocation(names),
          async close() {
            client.close();
            await c.close();
          },
        };
        return { kind: 'open', session };
      } catch (err) {
        client.close();
        await conn?.close().catch(() => undefined);
        throw err;
      }
    },
  };
}
