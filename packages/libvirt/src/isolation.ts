// Which way a VM's daemons are isolated, and starting them that way (ADR 0007).
import { startContainerLibvirtd } from './container-libvirtd.js';
import type { Isolation } from './private-libvirtd-config.js';
import { startPrivateLibvirtd, type LibvirtDaemon, type PrivateLibvirtdOptions } from './private-libvirtd.js';
import { CAP_SYS_ADMIN, hasEffectiveCapability } from './proc.js';

/**
 * `namespace` when this process may create mount and pid namespaces (a host process with
 * CAP_SYS_ADMIN, such as a launcher run on the host by its integration tests); `container` otherwise (a launcher
 * pod, which is not privileged: the runtime isolates it already).
 */
export function detectIsolation(): Isolation {
  return hasEffectiveCapability(CAP_SYS_ADMIN) ? 'namespace' : 'container';
}

export function startVmLibvirtd(isolation: Isolation, opts: PrivateLibvirtdOptions): Promise<LibvirtDaemon> {
  return isolation === 'container' ? startContainerLibvirtd(opts) : startPrivateLibvirtd(opts);
}
