import { describe, expect, it } from 'vitest';
import { ControllerConfigError, parseControllerConfig } from './config.js';

describe('parseControllerConfig', () => {
  it('defaults: emulation, leader election on, lease in kubevirt, frozen', () => {
    const c = parseControllerConfig([], {});
    expect(c).toMatchObject({
      kvmMode: 'emulation',
      vfioSysResource: true,
      leaderElect: true,
      leaseNamespace: 'kubevirt',
      leaseName: 'virt-controller',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      vmiWorkers: 3,
      metricsPort: 8443,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('takes flags over env', () => {
    const c = parseControllerConfig(
      [
        '--kubeconfig',
        '/k',
        '--kvm-mode',
        'kvm',
        '--leader-elect=false',
        '--lease-duration',
        '4s',
        '--renew-deadline',
        '3s',
        '--retry-period',
        '500ms',
        '--workers',
        '8',
      ],
      { KUBECONFIG: '/env', POD_NAMESPACE: 'x' },
    );
    expect(c).toMatchObject({
      kubeconfig: '/k',
      kvmMode: 'kvm',
      leaderElect: false,
      leaseNamespace: 'x',
      leaseDurationMs: 4000,
      retryPeriodMs: 500,
      vmiWorkers: 8,
    });
    expect(parseControllerConfig([], { KUBECONFIG: '/env' }).kubeconfig).toBe('/env');
    expect(parseControllerConfig([], { QVIRT_VFIO_SYS_RESOURCE: 'false' }).vfioSysResource).toBe(false);
    expect(parseControllerConfig(['--vfio-sys-resource=true'], { QVIRT_VFIO_SYS_RESOURCE: 'false' }).vfioSysResource).toBe(true);
  });

  it.each([
    [['--kvm-mode', 'hw'], /--kvm-mode "hw": must be emulation or kvm/],
    [['--vfio-sys-resource', 'maybe'], /--vfio-sys-resource "maybe": must be true or false/],
    [['--lease-duration', 'soon'], /--lease-duration "soon": must be a duration/],
    [['--lease-duration', '5s', '--renew-deadline', '10s'], /must exceed --renew-deadline/],
    [['--workers', '0'], /--workers "0": must be a whole number from 1 to 64/],
    [['--metrics-tls-cert', '/c'], /go together/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--lease-namespace', 'Bad_NS'], /not a valid Kubernetes name/],
  ])('rejects %j', (argv, re) => {
    expect(() => parseControllerConfig(argv as string[], {})).toThrow(ControllerConfigError);
    expect(() => parseControllerConfig(argv as string[], {})).toThrow(re);
  });
});
