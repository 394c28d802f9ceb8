// What the supervisor needs from libvirt, the private daemon and time: @qvirt/libvirt's
// DomainManager over a LibvirtConnection and startVmLibvirtd fit these; tests pass
// InMemoryDomainManager and a clock of their own.
import type { DomainManager } from '@qvirt/libvirt';

/** The launcher's libvirt connection: its domains by name, and the connection's own life. */
export interface LauncherConnection {
  readonly domains: DomainManager;
  libVersion(): Promise<string>;
  onClose(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
}

/** Time for the supervisor's deadlines and waits; tests pass a clock they move by hand. */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** A running private virtlogd + libvirtd. */
export interface PrivateDaemon {
  readonly socketPath: string;
  readonly uri: string;
  /** libvirtd's pid: its mount namespace is where this VM's QEMU lives. */
  readonly libvirtdPid: number;
  /** Every daemon pid (libvirtd, virtlogd, their namespace's init). */
  readonly pids: readonly number[];
  /** Settles when the daemons are gone (stop() or an unexpected death). */
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
}
