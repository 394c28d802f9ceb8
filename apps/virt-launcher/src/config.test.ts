import { describe, expect, it } from 'vitest';
import { LauncherConfigError, domainNameOf, parseSupervisorArgs } from './config.js';

describe('parseSupervisorArgs', () => {
  it('parses a full command line and applies defaults', () => {
    const c = parseSupervisorArgs(['--vmi-uid', 'a1b2-c3', '--run-dir', '/var/run/kubevirt/', '--namespace', 'default', '--name', 'vmi-plain']);
    expect(c).toEqual({
      vmiUid: 'a1b2-c3',
      runDir: '/var/run/kubevirt/',
      namespace: 'default',
      name: 'vmi-plain',
      gracePeriodSeconds: 30,
      domainWaitTimeoutSeconds: 300,
      isolation: 'auto',
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(domainNameOf(c)).toBe('default_vmi-plain');
    const d = parseSupervisorArgs([
      '--vmi-uid',
      'u',
      '--run-dir',
      '/r',
      '--grace-period-seconds',
      '0',
      '--domain-wait-timeout-seconds',
      '3',
      '--isolation',
      'container',
    ]);
    expect(d).toMatchObject({ gracePeriodSeconds: 0, domainWaitTimeoutSeconds: 3, isolation: 'container' });
    expect(domainNameOf(d)).toBeUndefined();
  });

  it.each([
    [[], /--vmi-uid is required/],
    [['--vmi-uid', 'u'], /--run-dir is required/],
    [['--vmi-uid', '../etc', '--run-dir', '/r'], /--vmi-uid "\.\.\/etc": must be/],
    [['--vmi-uid', 'u', '--run-dir', 'rel/dir'], /--run-dir "rel\/dir": must be an absolute path/],
    [['--vmi-uid', 'u', '--run-dir', '/r', '--name', 'x'], /--namespace and --name go together/],
    [['--vmi-uid', 'u', '--run-dir', '/r', '--namespace', 'A', '--name', 'x'], /--namespace "A": not a valid Kubernetes name/],
    [['--vmi-uid', 'u', '--run-dir', '/r', '--grace-period-seconds=-1'], /--grace-period-seconds "-1": must be a whole number/],
    [
      ['--vmi-uid', 'u', '--run-dir', '/r', '--domain-wait-timeout-seconds', '0'],
      /--domain-wait-timeout-seconds "0": must be a whole number of seconds from 1/,
    ],
    [['--vmi-uid', 'u', '--run-dir', '/r', '--bogus'], /Unknown option '--bogus'/],
    [['--vmi-uid', 'u', '--run-dir', '/r', '--isolation', 'chroot'], /--isolation "chroot": must be one of auto, namespace, container/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSupervisorArgs(argv)).toThrow(LauncherConfigError);
    expect(() => parseSupervisorArgs(argv)).toThrow(message);
  });
});
