import { describe, expect, it } from 'vitest';
import { clusterConfigFrom } from '@qvirt/api/cluster-config';
import { TEST_GUEST } from '@qvirt/api/testing';
import { inputsFixture, vmiFixture } from '../testing/fixtures.js';
import { GRACE_PERIOD_MARGIN_SECONDS, launcherPodName, launcherPodSuffix, renderLauncherPod } from './launcher-pod.renderer.js';
import { LauncherPodRenderError } from './render-errors.js';

describe('renderLauncherPod', () => {
  it('names, labels and owns the pod like KubeVirt', () => {
    const vmi = vmiFixture();
    const pod = renderLauncherPod(vmi, inputsFixture());
    expect(pod.metadata?.name).toMatch(/^virt-launcher-vmi-qat-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata?.labels).toMatchObject({ 'kubevirt.io': 'virt-launcher', 'kubevirt.io/created-by': 'uid-vmi-qat' });
    expect(pod.metadata?.ownerReferences).toEqual([
      { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vmi-qat', uid: 'uid-vmi-qat', controller: true, blockOwnerDeletion: true },
    ]);
    expect(pod.metadata?.namespace).toBe('default');
  });

  it('derives the name suffix from the VMI uid: stable per VMI, different across VMIs', () => {
    expect(launcherPodSuffix('a')).toBe(launcherPodSuffix('a'));
    expect(launcherPodSuffix('a')).not.toBe(launcherPodSuffix('b'));
    expect(launcherPodName(vmiFixture())).toBe(renderLauncherPod(vmiFixture(), inputsFixture()).metadata?.name);
  });

  it('requests and limits one device per qats[]/hostDevices[] entry, grouped by deviceName', () => {
    const pod = renderLauncherPod(vmiFixture({ qats: 3, hostDevices: ['intel.com/qat-cy', 'qat.intel.com/generic'] }), inputsFixture());
    const res = pod.spec!.containers[0]!.resources!;
    expect(res.requests?.['qat.intel.com/generic']).toBe('4');
    expect(res.limits?.['qat.intel.com/generic']).toBe('4');
    expect(res.requests?.['intel.com/qat-cy']).toBe('1');
    expect(res.limits?.['intel.com/qat-cy']).toBe('1');
  });

  it('asks for devices.kubevirt.io/kvm only in kvm mode', () => {
    const emu = renderLauncherPod(vmiFixture(), inputsFixture()).spec!.containers[0]!.resources!;
    expect(emu.requests?.['devices.kubevirt.io/kvm']).toBeUndefined();
    const kvm = renderLauncherPod(vmiFixture(), inputsFixture({ kvmMode: 'kvm' })).spec!.containers[0]!.resources!;
    expect(kvm.requests?.['devices.kubevirt.io/kvm']).toBe('1');
    expect(kvm.limits?.['devices.kubevirt.io/kvm']).toBe('1');
  });

  it('requests guest memory plus overhead, with 1Gi more for VFIO devices', () => {
    // 128Mi guest + 180Mi + 8Mi (1 vCPU) + 256Ki page tables (+1Gi VFIO)
    const withQat = renderLauncherPod(vmiFixture(), inputsFixture()).spec!.containers[0]!.resources!;
    expect(withQat.requests?.memory).toBe(`${(128 + 180 + 8 + 1024) * 1024 + 256}Ki`);
    const plain = renderLauncherPod(vmiFixture({ qats: 0 }), inputsFixture()).spec!.containers[0]!.resources!;
    expect(plain.requests?.memory).toBe(`${(128 + 180 + 8) * 1024 + 256}Ki`);
    expect(plain.requests?.cpu).toBe('100m');
  });

  it('runs the launcher with the agreed command line and env', () => {
    const c = renderLauncherPod(vmiFixture(), inputsFixture()).spec!.containers[0]!;
    expect(c.command).toEqual([
      'virt-launcher',
      '--vmi-uid',
      'uid-vmi-qat',
      '--run-dir',
      '/var/run/kubevirt',
      '--namespace',
      'default',
      '--name',
      'vmi-qat',
      '--grace-period-seconds',
      '30',
    ]);
    expect(c.env?.map((e) => e.name)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'NODE_NAME', 'QVIRT_KVM_MODE']);
    expect(c.image).toBe('qvirt/virt-launcher:test');
  });

  it('is not privileged and mounts no /sys; the shared run dir is a hostPath', () => {
    const pod = renderLauncherPod(vmiFixture(), inputsFixture());
    const c = pod.spec!.containers[0]!;
    expect(c.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, runAsUser: 0 });
    expect(c.securityContext?.capabilities?.drop).toContain('NET_RAW');
    const hostPaths = (pod.spec!.volumes ?? []).map((v) => v.hostPath?.path);
    expect(hostPaths).toContain('/var/run/kubevirt');
    expect(hostPaths.some((p) => p === '/sys' || p?.startsWith('/sys/'))).toBe(false);
    expect(hostPaths).toContain(TEST_GUEST.kernelPath);
  });

  it('adds SYS_RESOURCE (memlock for pinned guest RAM) only for VFIO devices, and not when the host cannot grant it', () => {
    const caps = (vmi: ReturnType<typeof vmiFixture>, over = {}) =>
      renderLauncherPod(vmi, inputsFixture(over)).spec!.containers[0]!.securityContext?.capabilities?.add;
    expect(caps(vmiFixture({ qats: 0 }))).toEqual(['NET_BIND_SERVICE']);
    expect(caps(vmiFixture({ qats: 1 }))).toEqual(['NET_BIND_SERVICE', 'SYS_RESOURCE']);
    expect(caps(vmiFixture({ qats: 1 }), { vfioSysResource: false })).toEqual(['NET_BIND_SERVICE']);
  });

  it('refuses a host disk under /sys', () => {
    const vmi = vmiFixture();
    vmi.spec.volumes = [{ name: 'd', hostDisk: { path: '/sys/bus/pci/devices/x/config', type: 'Disk' } }];
    expect(() => renderLauncherPod(vmi, inputsFixture())).toThrow(/\/sys are not mounted/);
  });

  it('copies scheduling constraints and adds the grace margin', () => {
    const vmi = vmiFixture();
    vmi.spec.nodeSelector = { 'qvirt.io/qat-generation': 'c62x' };
    vmi.spec.tolerations = [{ key: 'qat', operator: 'Exists', effect: 'NoSchedule' }];
    vmi.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } };
    vmi.spec.terminationGracePeriodSeconds = 60;
    const spec = renderLauncherPod(vmi, inputsFixture()).spec!;
    expect(spec.nodeSelector).toEqual({ 'qvirt.io/qat-generation': 'c62x', 'kubevirt.io/schedulable': 'true' });
    expect(spec.tolerations).toEqual([{ key: 'qat', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.affinity).toEqual(vmi.spec.affinity);
    expect(spec.terminationGracePeriodSeconds).toBe(60 + GRACE_PERIOD_MARGIN_SECONDS);
    expect(spec.restartPolicy).toBe('Never');
  });

  it('does not render a device that permittedHostDevices does not permit', () => {
    const config = clusterConfigFrom({
      configMapData: { 'feature-gates': 'QAT' },
      kubevirt: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'KubeVirt',
        metadata: { name: 'kv' },
        spec: { configuration: { permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:37c9', resourceName: 'intel.com/other' }] } } },
      },
    });
    const err = (() => {
      try {
        renderLauncherPod(vmiFixture(), inputsFixture({ clusterConfig: config }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LauncherPodRenderError);
    expect((err as LauncherPodRenderError).reason).toBe('FailedCreate');
    // The QAT list's entry, named as virt-api's validation names it.
    expect((err as Error).message).toBe('QAT qat.intel.com/generic is not permitted in permittedHostDevices configuration');
    // Permitted: renders.
    const ok = clusterConfigFrom({
      kubevirt: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'KubeVirt',
        metadata: { name: 'kv' },
        spec: { configuration: { permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:37c9', resourceName: 'qat.intel.com/generic' }] } } },
      },
    });
    expect(renderLauncherPod(vmiFixture(), inputsFixture({ clusterConfig: ok })).metadata?.name).toBeTruthy();
  });

  it('fails with a named field when the VMI has no memory size', () => {
    const vmi = vmiFixture();
    delete vmi.spec.domain.memory;
    delete vmi.spec.domain.resources;
    expect(() => renderLauncherPod(vmi, inputsFixture())).toThrow(/spec.domain.memory.guest or spec.domain.resources.requests.memory must be set/);
  });
});
