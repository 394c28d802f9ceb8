import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './cli.js';

describe('parseCli', () => {
  it('discover: flags win over env, env over defaults', () => {
    expect(parseCli(['discover', '--sysfs-root', '/a', '--dev-root', '/b'], { QVIRT_SYSFS_ROOT: '/x', QVIRT_DEV_ROOT: '/y' })).toEqual({
      mode: 'discover',
      sysfsRoot: '/a',
      devRoot: '/b',
    });
    expect(parseCli(['discover'], { QVIRT_SYSFS_ROOT: '/x', QVIRT_DEV_ROOT: '/y' })).toEqual({ mode: 'discover', sysfsRoot: '/x', devRoot: '/y' });
    expect(parseCli(['discover', '--sysfs-root=/s'], {})).toEqual({ mode: 'discover', sysfsRoot: '/s', devRoot: '/dev' });
  });

  it('refuses unknown flags, positionals, missing values and unknown modes with a reason', () => {
    expect(() => parseCli(['discover', '--sysfs'], {})).toThrow(UsageError);
    expect(() => parseCli(['discover', 'extra'], {})).toThrow(/discover: /);
    expect(() => parseCli(['discover', '--sysfs-root'], {})).toThrow(/sysfs-root/);
    expect(() => parseCli(['discover', '--sysfs-root', ''], {})).toThrow('discover: --sysfs-root must not be empty');
    expect(() => parseCli(['frobnicate'], {})).toThrow('unknown mode "frobnicate"; modes: discover, run');
  });

  it('run is the default mode; it needs NODE_NAME', () => {
    expect(() => parseCli([], {})).toThrow(/NODE_NAME is not set/);
    expect(() => parseCli(['run'], {})).toThrow(UsageError);
    expect(parseCli([], { NODE_NAME: 'n1' })).toMatchObject({ mode: 'run', nodeName: 'n1', runDir: '/var/run/kubevirt' });
    expect(parseCli(['--node-name', 'n2'], {})).toMatchObject({ mode: 'run', nodeName: 'n2' });
    expect(parseCli(['run', '--node-name', 'n3', '--kvm', 'off'], {})).toMatchObject({ mode: 'run', nodeName: 'n3', kvm: 'off' });
    expect(() => parseCli(['run', '--kvm', 'maybe'], { NODE_NAME: 'n1' })).toThrow(UsageError);
    expect(parseCli(['--help'], {})).toEqual({ mode: 'help' });
  });
});
