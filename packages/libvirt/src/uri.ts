// Connection URIs for the daemons qvirt talks to.

export class LibvirtUriError extends Error {
  override readonly name = 'LibvirtUriError';
}

/**
 * `qemu+unix:///system?socket=<path>`: the system QEMU driver of a libvirtd listening on
 * `socketPath` (a private per-VM daemon's `<socketDir>/libvirt-sock`).
 */
export function qemuUnixUri(socketPath: string): string {
  if (!socketPath.startsWith('/')) {
    throw new LibvirtUriError(`libvirt socket path must be absolute, got "${socketPath}"`);
  }
  if (/[\s?&#]/.test(socketPath)) {
    throw new LibvirtUriError(`libvirt socket path "${socketPath}" contains whitespace or one of ?&#, which a libvirt URI cannot carry`);
  }
  return `qemu+unix:///system?socket=${socketPath}`;
}

/** The socket path of a `qemu+unix` URI, or null for other URIs. */
export function socketOfUri(uri: string): string | null {
  const m = /^[a-z+]+\+unix:\/\/[^?]*\?(?:.*&)?socket=([^&]+)/.exec(uri);
  return m?.[1] ?? null;
}
