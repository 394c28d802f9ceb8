import { describe, expect, it } from 'vitest';
import { LibvirtUriError, qemuUnixUri, socketOfUri } from './uri.js';

describe('qemuUnixUri', () => {
  it('builds the system QEMU URI for a socket', () => {
    expect(qemuUnixUri('/var/run/kubevirt/abc/libvirt-sock')).toBe('qemu+unix:///system?socket=/var/run/kubevirt/abc/libvirt-sock');
  });
  it('rejects relative paths and characters a URI cannot carry', () => {
    expect(() => qemuUnixUri('run/libvirt-sock')).toThrow(LibvirtUriError);
    expect(() => qemuUnixUri('run/libvirt-sock')).toThrow(/must be absolute/);
    expect(() => qemuUnixUri('/a b/sock')).toThrow(/whitespace/);
    expect(() => qemuUnixUri('/a?b/sock')).toThrow(/\?&#/);
  });
  it('socketOfUri round-trips', () => {
    expect(socketOfUri(qemuUnixUri('/r/x/libvirt-sock'))).toBe('/r/x/libvirt-sock');
    expect(socketOfUri('test:///default')).toBeNull();
  });
});
