import { describe, expect, it } from 'vitest';
import {
  PrivateLibvirtdConfigError,
  renderInitScript,
  renderLibvirtdConf,
  renderQemuConf,
  renderVirtlogdConf,
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
    // Namespace mode keeps libvirt's own per-QEMU mount namespace and cgroups.
    expect(c).not.toMatch(/^namespaces =/m);
    expect(c).not.toMatch(/^cgroup_controllers =/m);
  });
  it('qemu.conf in container mode asks for nothing that needs CAP_SYS_ADMIN', () => {
    const c = renderQemuConf('container');
    expect(c).toMatch(/^namespaces = \[ \]$/m);
    expect(c).toMatch(/^cgroup_controllers = \[ \]$/m);
    expect(c).toMatch(/^security_driver = "none"$/m);
    expect(c).toMatch(/^stdio_handler = "logd"$/m);
  });
  it('logs go where they are asked to', () => {
    expect(renderLibvirtdConf(p)).toContain('log_outputs = "3:file:/var/log/libvirt/libvirtd.log"');
    expect(renderLibvirtdConf(p, '/var/log/qvirt/u1/libvirtd.log')).toContain('log_outputs = "3:file:/var/log/qvirt/u1/libvirtd.log"');
    expect(renderVirtlogdConf('/x/virtlogd.log')).toBe('log_outputs = "3:file:/x/virtlogd.log"\n');
    expect(renderLibvirtdConf(p)).toMatch(/^min_workers = 1$/m);
  });
  it('the init script makes libvirt state private, binds logs and reaps', () => {
    const s = renderInitScript(p, { libvirtd: '/usr/sbin/libvirtd', virtlogd: '/usr/sbin/virtlogd' });
    for (const d of ['/etc/libvirt', '/run/libvirt', '/var/lib/libvirt', '/var/cache/libvirt']) expect(s).toContain(d);
    expect(s).toContain('mount --bind "$LOG_DIR" /var/log/libvirt');
    expect(s).toContain('/usr/sbin/libvirtd -f /etc/libvirt/libvirtd.conf -p "$RUN_DIR/libvirtd.pid" &');
    expect(s).not.toMatch(/libvirtd[^\n]* -d\b/);
    expect(s).toContain("trap 'kill -TERM $LIBVIRTD");
    expect(s).not.toContain('LIBVIRT_DRIVER_DIR');
  });
  it('the init script gives libvirtd only the QEMU driver when asked', () => {
    const s = renderInitScript(p, { libvirtd: '/usr/sbin/libvirtd', virtlogd: '/usr/sbin/virtlogd', driverDir: '/r/drivers' });
    expect(s).toContain('LIBVIRT_DRIVER_DIR="/r/drivers" /usr/sbin/libvirtd -f /etc/libvirt/libvirtd.conf');
    expect(s).not.toMatch(/LIBVIRT_DRIVER_DIR[^\n]*virtlogd/);
  });
});
