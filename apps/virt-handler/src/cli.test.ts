import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './cli.js';

describe('parseCli', () => {
  it('discover: flags win over env, env over defaults', () => {
    expect(parseCli(['discover', '--sysfs-root', '/a', '--dev-root', '/b'], { QVIRT_SYSFS_ROOT: '/x', QVIRT_DEV_ROOT: '/y' })).toEqual({
      mode: 'discover', sysfsRoot: '/a', devRoot: '/b',
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

  it('the default (run) mode is not implemented yet', () => {
    expect(() => parseCli([], {})).toThrow(/daemon mode \(run\) is not implemented yet/);
    expect(() => parseCli(['run'], {})).toThrow(UsageError);
    expect(parseCli(['--help'], {})).toEqual({ mode: 'help' });
  });
});
