// Admission rules throughput: default + validate one VMI with 8 QATs, the work the webhook
// chain (mutate, then validate) does per object. Baseline: a JSON deep clone of the same
// object in the same run, i.e. the cheapest possible touch of every field.
import { emptyClusterConfig, type VirtualMachineInstance } from '@qvirt/api';
import { validateManifest } from '@qvirt/validation';
import { figure, throughput, type BenchFigure } from './figure.js';

function vmiWithQats(n: number): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: 'bench-qat', namespace: 'default', labels: { app: 'bench' } },
    spec: {
      domain: {
        cpu: { cores: 2 },
        resources: { requests: { memory: '1Gi', cpu: '2' } },
        firmware: { kernelBoot: { kernelArgs: 'console=ttyS0', hostPath: { kernelPath: '/var/lib/qvirt/images/vmlinuz', initrdPath: '/var/lib/qvirt/images/initrd.img' } } },
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
  const value = throughput(() => (sink += validateManifest(vmi, config).causes.length));
  const baseline = throughput(() => (sink += (JSON.parse(JSON.stringify(vmi)) as VirtualMachineInstance).spec.domain.devices.qats!.length));
  figures.push(figure('validation.default_validate_vmi_8qat', value, 'objects/s', baseline, 'baseline: JSON deep clone of the same VMI'));

  // A hostile object: 10,000 QATs are refused by length before any per-item work.
  const huge = vmiWithQats(10_000);
  const refused = validateManifest(huge, config);
  if (refused.causes[0]?.type !== 'FieldValueTooMany') throw new Error('10,000 QATs were not refused');
  const hugeValue = throughput(() => (sink += validateManifest(huge, config).causes.length), 500);
  const hugeBaseline = throughput(() => (sink += (JSON.parse(JSON.stringify(huge)) as VirtualMachineInstance).spec.domain.devices.qats!.length), 500);
  figures.push(figure('validation.refuse_vmi_10000qat', hugeValue, 'objects/s', hugeBaseline, 'baseline: JSON deep clone of the same 10,000-QAT VMI'));

  if (sink < 0) throw new Error('unreachable');
  return figures;
}
