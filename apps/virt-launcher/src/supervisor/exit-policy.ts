// How the in-pod launcher ends, as exit codes the pod status (and the handler) can read.

export const ExitCodes = {
  /** The guest shut down (ACPI or by itself), or the launcher shut it down on SIGTERM. */
  clean: 0,
  /** The domain crashed, failed, or was destroyed by someone other than this launcher. */
  domainFailed: 1,
  /** Bad command line or configuration. */
  config: 2,
  /** No domain was defined on the launcher's libvirtd within --domain-wait-timeout-seconds. */
  noDomain: 3,
  /** The launcher's own machinery failed: libvirtd did not start or died, socket unusable. */
  launcherFailed: 4,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

export interface ExitDecision {
  code: ExitCode;
  reason: string;
}

/**
 * The exit code once a domain that ran has stopped. `stopReason` is libvirt's shutoff reason
 * (state reason or STOPPED event detail: shutdown, destroyed, crashed, failed, ...).
 */
export function exitForStoppedDomain(stopReason: string, shutdownRequestedByLauncher: boolean): ExitDecision {
  switch (stopReason) {
    case 'shutdown':
      return { code: ExitCodes.clean, reason: 'the guest shut down' };
    case 'destroyed':
      return shutdownRequestedByLauncher
        ? { code: ExitCodes.clean, reason: "the domain was destroyed after the grace period of the launcher's ACPI shutdown" }
        : { code: ExitCodes.domainFailed, reason: 'the domain was destroyed by another libvirt client' };
    case 'crashed':
      return { code: ExitCodes.domainFailed, reason: 'the guest crashed' };
    case 'failed':
      return { code: ExitCodes.domainFailed, reason: 'QEMU failed' };
    default:
      return { code: ExitCodes.domainFailed, reason: `the domain stopped (reason: ${stopReason})` };
  }
}
