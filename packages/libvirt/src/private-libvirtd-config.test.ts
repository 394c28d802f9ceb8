import { describe, expect, it } from 'vitest';
import {
  PrivateLibvirtdConfigError,
  renderInitScript,
  renderLibvirtdConf,
  renderQemuConf,
  validatePaths,
} from './private-libvirtd-config.js';

const ok = { runDir: '/var/run/kubevirt-private/u1', socketDir: '/var/run/kubevirt/u1/', logDir: '/var/log/qvirt/u1' };

describe('validatePaths', () => {
  it('normalizes good paths', () => {
    expect(validatePaths(ok)).toEqual({ ...ok, socketDir: '/var/run/kubevirt/u1' });
  });
  it.each([
    ['runDir', { ...ok, runDir: 'rel/dir' }, /runDir must be an absolute path/],
    ['socketDir', { ...ok, socketDir: '/run/libvirt/u1' }, /socketDir "\/run\/libvirt\/u1" is under \/run\/libvirt/],
    ['logDir', { ...ok, logDir: '/var/log/libvirt/x' }, /logDir .* is under \/var\/log\/libvirt/],
    ['runDir', { ...ok, runDir: '/etc/libvirt' }, /runDir .* is under \/etc\/libvirt/],
    ['socketDir', { ...ok, socketDir: `/tmp/${'x'.repeat(100)}` }, /too long/],
    ['logDir', { ...ok, logDir: '/tmp/a"b' }, /contains a quote/],
  ])('rejects a bad %s', (_f, p, msg) => {
    expect(() => validatePaths(p)).toThrow(PrivateLibvirtdConfigError);
    expect(() => validatePaths(p)).toThrow(msg);
  });
});

describe('rendered config', () => {
  const p = validatePaths(ok);
  it('libvirtd.conf puts root-only sockets in socketDir', () => {
    const c = renderLibvirtdConf(p);
    expect(c).toContain('unix_sock_dir = "/var/run/kubevirt/u1"');
    expect(c).toContain('unix_sock_rw_perms = "0700"');
    expect(c).toContain('listen_tcp = 0');
  });
  it('qemu.conf runs QEMU as root without chowning shared files', () => {
    const c = renderQemuConf();
    expect(c).toMatch(/^user = "root"$/m);
    expect(c).toMatch(/^dynamic_ownership = 0$/m);
    expect(c).toMatch(/^stdio_handler = "logd"$/m);
  });
  it('the init script makes libvirt state private, binds logs and reaps', () => {
    const s = renderInitScript(p, { libvirtd: '/usr/sbin/libvirtd', virtlogd: '/usr/sbin/virtlogd' });
    for (const d of ['/etc/libvirt', '/run/libvirt', '/var/lib/libvirt', '/var/cache/libvirt']) expect(s).toContain(d);
    expect(s).toContain('mount --bind "$LOG_DIR" /var/log/libvirt');
    expect(s).toContain('/usr/sbin/libvirtd -f /etc/libvirt/libvirtd.conf -p "$RUN_DIR/libvirtd.pid" &');
    expect(s).not.toMatch(/libvirtd[^\n]* -d\b/);
    expect(s).toContain("trap 'kill -TERM $LIBVIRTD");
  });
});
