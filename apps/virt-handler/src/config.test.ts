import { describe, expect, it } from 'vitest';
import { parseRunArgs, RunConfigError } from './config.js';

describe('parseRunArgs', () => {
  it('defaults, env and flags (flags win)', () => {
    expect(parseRunArgs([], { NODE_NAME: 'node-a' })).toEqual({
      mode: 'run',
      nodeName: 'node-a',
      kubeconfig: undefined,
      runDir: '/var/run/kubevirt',
      devicePluginDir: '/var/lib/kubelet/device-plugins',
      sysfsRoot: '/sys',
      devRoot: '/dev',
      kvm: 'auto',
      metricsPort: 8444,
      metricsAddress: '0.0.0.0',
      workers: 4,
      resyncSeconds: 10,
      logLevel: 'info',
    });
    const c = parseRunArgs(
      [
        '--node-name',
        'node-b',
        '--kubeconfig',
        '/k',
        '--run-dir',
        '/run/x/',
        '--device-plugin-dir',
        '/dp',
        '--sysfs-root',
        '/s',
        '--kvm',
        'on',
        '--metrics-port',
        '0',
        '--workers',
        '2',
      ],
      { NODE_NAME: 'node-a', KUBECONFIG: '/env-k', QVIRT_SYSFS_ROOT: '/env-s', QVIRT_DEV_ROOT: '/env-d' },
    );
    expect(c).toMatchObject({
      nodeName: 'node-b',
      kubeconfig: '/k',
      runDir: '/run/x',
      devicePluginDir: '/dp',
      sysfsRoot: '/s',
      devRoot: '/env-d',
      kvm: 'on',
      metricsPort: 0,
      workers: 2,
    });
    expect(parseRunArgs([], { NODE_NAME: 'n', KUBECONFIG: '/env-k' }).kubeconfig).toBe('/env-k');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('refuses bad input naming the flag or variable', () => {
    const bad: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /NODE_NAME is not set/],
      [[], { NODE_NAME: 'Bad_Name' }, /node name "Bad_Name" is not a valid Kubernetes node name/],
      [['--kvm', 'yes'], { NODE_NAME: 'n' }, /--kvm "yes": must be auto, on or off/],
      [['--run-dir', 'relative'], { NODE_NAME: 'n' }, /--run-dir "relative": must be an absolute path/],
      [[], { NODE_NAME: 'n', QVIRT_SYSFS_ROOT: 'rel' }, /QVIRT_SYSFS_ROOT "rel": must be an absolute path/],
      [['--metrics-port', '70000'], { NODE_NAME: 'n' }, /--metrics-port "70000": must be a whole number from 0 to 65535/],
      [['--workers', '0'], { NODE_NAME: 'n' }, /--workers "0"/],
      [['--log-level', 'loud'], { NODE_NAME: 'n' }, /--log-level "loud"/],
      [['--bogus'], { NODE_NAME: 'n' }, /run: .*bogus/],
    ];
    for (const [args, env, msg] of bad) {
      expect(() => parseRunArgs(args, env), args.join(' ')).toThrow(RunConfigError);
      expect(() => parseRunArgs(args, env), args.join(' ')).toThrow(msg);
    }
  });
});
