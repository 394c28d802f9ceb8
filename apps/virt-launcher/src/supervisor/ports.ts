// What the supervisor needs from libvirt and the private daemon: @qvirt/libvirt's
// LibvirtConnection / Domain / startPrivateLibvirtd fit these; tests can pass their own.

export interface SupervisedDomain {
  readonly name: string;
  state(): Promise<{ state: string; reason: string }>;
  shutdown(): Promise<void>;
  destroy(): Promise<void>;
  undefine(): Promise<void>;
  free(): Promise<void>;
}

export interface SupervisedLifecycleEvent {
  domainName: string;
  event: string;
  detail: string;
}

export interface SupervisedConnection {
  readonly lostReason: string | null;
  lookupByName(name: string): Promise<SupervisedDomain>;
  listDomains(): Promise<SupervisedDomain[]>;
  libVersion(): Promise<string>;
  onLifecycle(listener: (e: SupervisedLifecycleEvent) => void): Promise<() => void>;
  onClose(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
}

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

/** The logging the supervisor needs; a pino logger fits. */
export interface SupervisorLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
