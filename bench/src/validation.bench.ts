// Admission rules throughput: default + validate one VMI with 8 QATs, the work the webhook
// chain (mutate, then validate) does per object. Baseline: a JSON deep clone of the same
// object in the same run, i.e. the cheapest possible touch of every field.
import { emptyClusterConfig, type VirtualMachineInstance } from '@qvirt/api';
import { validateManifest } from '@qvirt/validation';
import { figure, throughput, type BenchFigure } from './figure.js';

/**
 * Value and baseline measured in alternating rounds, best round of each: on a shared machine
 * the load changes within a run, and alternating keeps both figures under the same conditions.
 */
function paired(value: () => unknown, baseline: () => unknown, rounds = 3, ms = 400): [number, number] {
  let v = 0;
  let b = 0;
  for (let i = 0; i < rounds; i++) {
    v = Math.max(v, throughput(value, ms));
    b = Math.max(b, throughput(baseline, ms));
  }
  return [v, b];
}

function vmiWithQats(n: number): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: 'bench-qat', namespace: 'default', labels: { app: 'bench' } },
    spec: {
      domain: {
        cpu: { cores: 2 },
        resources: { requests: { memory: '1Gi', cpu: '2' } },
        firmware: {
          kernelBoot: {
            kernelArgs: 'console=ttyS0',
            hostPath: { kernelPath: '/var/lib/qvirt/images/vmlinuz', initrdPath: '/var/lib/qvirt/images/initrd.img' },
          },
        },
        devices: {
          disks: [{ name: 'data' }],
          qats: Array.from({ length: n }, (_, i) => ({ name: `qat${i}`, deviceName: i % 2 ? 'qat.intel.com/cy' : 'qat.intel.com/generic' })),
        },
      },
      volumes: [{ name: 'data', hostDisk: { path: '/var/lib/qvirt/disks/data.img', type: 'Disk' } }],
      nodeSelector: { 'qvirt.io/qat-generation': 'c62x' },
    },
  };
}

export async function benchValidation(): Promise<BenchFigure[]> {
  const config = emptyClusterConfig(['QAT', 'HostDevices']);
  const figures: BenchFigure[] = [];
  let sink = 0;

  const vmi = vmiWithQats(8);
  const first = validateManifest(vmi, config);
  if (first.causes.length !== 0) throw new Error(`bench VMI is not valid: ${JSON.stringify(first.causes)}`);
  const [value, baseline] = paired(
    () => (sink += validateManifest(vmi, config).causes.length),
    () => (sink += (JSON.parse(JSON.stringify(vmi)) as VirtualMachineInstance).spec.domain.devices.qats!.length),
  );
  figures.push(figure('validation.default_validate_vmi_8qat', value, 'objects/s', baseline, 'baseline: JSON deep clone of the same VMI'));

  // A hostile object: 10,000 QATs are refused by length before any per-item work.
  const huge = vmiWithQats(10_000);
  const refused = validateManifest(huge, config);
  if (refused.causes[0]?.type !== 'FieldValueTooMany') throw new Error('10,000 QATs were not refused');
  const [hugeValue, hugeBaseline] = paired(
    () => (sink += validateManifest(huge, config).causes.length),
    () => (sink += (JSON.parse(JSON.stringify(huge)) as VirtualMachineInstance).spec.domain.devices.qats!.length),
  );
  figures.push(figure('validation.refuse_vmi_10000qat', hugeValue, 'objects/s', hugeBaseline, 'baseline: JSON deep clone of the same 10,000-QAT VMI'));

  if (sink < 0) throw new Error('unreachable');
  return figures;
}
