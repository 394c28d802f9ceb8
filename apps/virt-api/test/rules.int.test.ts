// Every @qvirt/validation rule hit at least once through the real API server: a table of bad
// manifests, each asserting the cause (field + message) in the apiserver's Status and in
// kubectl's error. Config: gate QAT on (ConfigMap), HostDevices off, permittedHostDevices set (CR).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeClient } from '@qvirt/kube';
import { createCA, issueCert } from '@qvirt/pki';
import { startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { MAX_VCPUS } from '@qvirt/api';
import { HOST_DEVICES_GATE_DISABLED_MESSAGE } from '@qvirt/validation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { eventually } from '@qvirt/testing';
import { adminClient, applyDocs, kubectlOk, prepareCluster, urlWebhookConfigurations } from './support/cluster.js';
import { loadDoc } from './support/manifests.js';
import { freePort, startVirtApi, type VirtApiProcess } from './support/virt-api-process.js';

// Manifests are plain JSON trees here; each row edits a fresh copy.
type Obj = Record<string, any>;

let cp: ControlPlane;
let client: KubeClient;
const dir = useTempDir('virt-api-rules-', { scope: 'all' });
let virtApi: VirtApiProcess;

beforeAll(async () => {
  cp = await startControlPlane();
  client = adminClient(cp);
  await prepareCluster(cp);
  await kubectlOk(cp, ['-n', 'kubevirt', 'patch', 'configmap', 'kubevirt-config', '--type=merge', '-p', '{"data":{"feature-gates":"QAT"}}']);
  const cr = loadDoc<Obj>('examples/kubevirt-cr.yaml');
  cr['spec'].configuration.developerConfiguration.featureGates = [];
  await applyDocs(cp, [cr]);
  const ca = await createCA({ commonName: 'virt-api-test-ca', validityDays: 1 });
  const serving = await issueCert({ ca, commonName: 'virt-api', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
  await writeFile(join(dir(), 'tls.crt'), serving.certPem);
  await writeFile(join(dir(), 'tls.key'), serving.keyPem);
  const port = await freePort();
  const sa = await cp.serviceAccountKubeconfig('kubevirt', 'virt-api');
  virtApi = startVirtApi({ port, args: ['--tls-cert-file', join(dir(), 'tls.crt'), '--tls-key-file', join(dir(), 'tls.key'), '--kubeconfig', sa] });
  await virtApi.waitReady(ca.certPem);
  await applyDocs(cp, urlWebhookConfigurations(port, ca.certPem));
  // The config (gate on via ConfigMap, permitted list via CR) is in force once a QAT VMI passes.
  await eventually('config in force', async () => ((await createVmi(vmi('probe'))) === undefined ? true : undefined), { timeoutMs: 10_000 });
});

afterAll(async () => {
  await virtApi?.stop('SIGKILL');
  await client?.close();
  await cp?.stop();
});

function vmi(name: string, edit: (spec: Obj) => void = () => {}): Obj {
  const doc = loadDoc<Obj>('examples/vmi-qat.yaml');
  doc['metadata'].name = name;
  edit(doc['spec']);
  return doc;
}

function vm(name: string, edit: (spec: Obj) => void): Obj {
  const doc = loadDoc<Obj>('examples/vm-qat.yaml');
  doc['metadata'].name = name;
  edit(doc['spec']);
  return doc;
}

interface ApiStatus {
  message?: string;
  details?: { causes?: { reason?: string; field?: string; message?: string }[] };
}

/** undefined when created, else the apiserver's Status. */
async function createVmi(obj: Obj): Promise<ApiStatus | undefined> {
  const plural = obj['kind'] === 'VirtualMachine' ? 'virtualmachines' : 'virtualmachineinstances';
  try {
    await client.create(`/apis/kubevirt.io/v1/namespaces/default/${plural}`, obj);
    return undefined;
  } catch (err) {
    const e = err as { statusCode?: number; status?: ApiStatus; message: string };
    if (e.statusCode !== 422) throw err;
    return e.status ?? { message: e.message };
  }
}

const devices = (s: Obj): Obj => s['domain'].devices;
const QATS = 'spec.domain.devices.qats';
const HOSTDEVS = 'spec.domain.devices.hostDevices';
const DISKS = 'spec.domain.devices.disks';

// [rule, manifest, field, message]
const rows: [string, Obj, string, string | RegExp][] = [
  [
    'qats: name must be a DNS label',
    vmi('r-qat-name', (s) => (devices(s).qats[0].name = 'Qat_1')),
    `${QATS}[0].name`,
    /^spec.domain.devices.qats\[0\].name: Invalid value: "Qat_1": a lowercase RFC 1123 label/,
  ],
  [
    'qats: names unique',
    vmi('r-qat-dup', (s) => devices(s).qats.push({ name: 'qat1', deviceName: 'qat.intel.com/generic' })),
    `${QATS}[1].name`,
    `${QATS}[1] and ${QATS}[0] must not have the same name "qat1"`,
  ],
  [
    'qats: deviceName an extended resource name',
    vmi('r-qat-res', (s) => (devices(s).qats[0].deviceName = 'generic')),
    `${QATS}[0].deviceName`,
    /must be an extended resource name of the form <domain>\/<name>/,
  ],
  [
    'qats: deviceName permitted',
    vmi('r-qat-perm', (s) => (devices(s).qats[0].deviceName = 'qat.intel.com/dc')),
    `${QATS}[0].deviceName`,
    'QAT qat.intel.com/dc is not permitted in permittedHostDevices configuration',
  ],
  [
    'hostDevices: HostDevices gate',
    vmi('r-hd-gate', (s) => (devices(s).hostDevices = [{ name: 'hd1', deviceName: 'qat.intel.com/generic' }])),
    HOSTDEVS,
    HOST_DEVICES_GATE_DISABLED_MESSAGE,
  ],
  [
    'hostDevices: deviceName permitted',
    vmi('r-hd-perm', (s) => (devices(s).hostDevices = [{ name: 'gpu', deviceName: 'nvidia.com/gpu' }])),
    `${HOSTDEVS}[0].deviceName`,
    'HostDevice nvidia.com/gpu is not permitted in permittedHostDevices configuration',
  ],
  [
    'qats/hostDevices: no shared names',
    vmi('r-collide', (s) => (devices(s).hostDevices = [{ name: 'qat1', deviceName: 'qat.intel.com/generic' }])),
    `${HOSTDEVS}[0].name`,
    /must not have the same name "qat1": device status entries are keyed by name/,
  ],
  [
    'memory: some amount requested',
    vmi('r-mem-none', (s) => {
      delete s['domain'].memory;
      delete s['domain'].resources;
    }),
    'spec.domain.resources.requests.memory',
    "no memory requested, at least one of 'spec.domain.memory.guest' or 'spec.domain.resources.requests.memory' must be set",
  ],
  [
    'memory: guest within limit',
    vmi('r-mem-guest', (s) => {
      s['domain'].memory.guest = '256Mi';
      s['domain'].resources = { requests: { memory: '64Mi' }, limits: { memory: '128Mi' } };
    }),
    'spec.domain.memory.guest',
    "spec.domain.memory.guest '256Mi' must be equal to or less than the memory limit spec.domain.resources.limits.memory '128Mi'",
  ],
  [
    'memory: requests within limit',
    vmi('r-mem-req', (s) => {
      s['domain'].memory.guest = '64Mi';
      s['domain'].resources = { requests: { memory: '256Mi' }, limits: { memory: '128Mi' } };
    }),
    'spec.domain.resources.requests.memory',
    "spec.domain.resources.requests.memory '256Mi' must be equal to or less than the memory limit spec.domain.resources.limits.memory '128Mi'",
  ],
  [
    'memory: positive',
    vmi('r-mem-zero', (s) => (s['domain'].memory.guest = '0')),
    'spec.domain.memory.guest',
    "spec.domain.memory.guest '0': must be greater than 0",
  ],
  [
    'cpu: at most MAX_VCPUS',
    vmi('r-cpu', (s) => (s['domain'].cpu = { cores: 17, sockets: 17, threads: 1 })),
    'spec.domain.cpu',
    `spec.domain.cpu: Invalid value: 289 vCPUs (cores 17 x sockets 17 x threads 1): must be at most ${MAX_VCPUS}`,
  ],
  [
    'kernelBoot: not both sources',
    vmi('r-kb-both', (s) => (s['domain'].firmware.kernelBoot.container = { image: 'quay.io/x/k:1', kernelPath: '/boot/vmlinuz' })),
    'spec.domain.firmware.kernelBoot',
    'spec.domain.firmware.kernelBoot must have exactly one of container or hostPath, not both',
  ],
  [
    'kernelBoot: one source',
    vmi('r-kb-none', (s) => delete s['domain'].firmware.kernelBoot.hostPath),
    'spec.domain.firmware.kernelBoot',
    'spec.domain.firmware.kernelBoot must have exactly one of container or hostPath',
  ],
  [
    'kernelBoot: absolute paths',
    vmi('r-kb-rel', (s) => (s['domain'].firmware.kernelBoot.hostPath.kernelPath = 'images/../vmlinuz')),
    'spec.domain.firmware.kernelBoot.hostPath.kernelPath',
    'spec.domain.firmware.kernelBoot.hostPath.kernelPath must be an absolute path to a file without relative components',
  ],
  [
    'kernelBoot: container paths',
    vmi('r-kb-ctr', (s) => {
      delete s['domain'].firmware.kernelBoot.hostPath;
      s['domain'].firmware.kernelBoot.container = { image: 'quay.io/x/k:1' };
    }),
    'spec.domain.firmware.kernelBoot.container',
    'must be defined with at least one of the following: kernelPath, initrdPath',
  ],
  [
    'disks: name refers to a volume',
    vmi('r-disk-vol', (s) => (devices(s).disks = [{ name: 'root', disk: { bus: 'virtio' } }])),
    `${DISKS}[0].name`,
    `${DISKS}[0].name 'root' not found.`,
  ],
  [
    'disks: names unique',
    vmi('r-disk-dup', (s) => {
      devices(s).disks = [{ name: 'root' }, { name: 'root' }];
      s['volumes'] = [{ name: 'root', containerDisk: { image: 'quay.io/x/d:1' } }];
    }),
    `${DISKS}[1].name`,
    `${DISKS}[1] and ${DISKS}[0] must not have the same name "root"`,
  ],
  [
    'disks: one target type',
    vmi('r-disk-tgt', (s) => {
      devices(s).disks = [{ name: 'root', disk: {}, cdrom: {} }];
      s['volumes'] = [{ name: 'root', containerDisk: { image: 'quay.io/x/d:1' } }];
    }),
    `${DISKS}[0]`,
    `${DISKS}[0] can only have a single target type defined`,
  ],
  [
    'disks: boot orders unique',
    vmi('r-disk-boot', (s) => {
      devices(s).disks = [
        { name: 'a', bootOrder: 1 },
        { name: 'b', bootOrder: 1 },
      ];
      s['volumes'] = [
        { name: 'a', containerDisk: { image: 'quay.io/x/d:1' } },
        { name: 'b', containerDisk: { image: 'quay.io/x/d:1' } },
      ];
    }),
    `${DISKS}[1].bootOrder`,
    `Boot order for ${DISKS}[1].bootOrder already set for a different device.`,
  ],
  [
    'volumes: names unique',
    vmi(
      'r-vol-dup',
      (s) =>
        (s['volumes'] = [
          { name: 'v', containerDisk: { image: 'a' } },
          { name: 'v', containerDisk: { image: 'b' } },
        ]),
    ),
    'spec.volumes[1].name',
    'spec.volumes[1] and spec.volumes[0] must not have the same name "v"',
  ],
  [
    'volumes: exactly one source',
    vmi('r-vol-src', (s) => (s['volumes'] = [{ name: 'v', containerDisk: { image: 'a' }, hostDisk: { path: '/var/lib/d.img', type: 'Disk' } }])),
    'spec.volumes[0]',
    'spec.volumes[0] must have exactly one source type set',
  ],
  [
    'volumes: hostDisk path absolute',
    vmi('r-vol-path', (s) => (s['volumes'] = [{ name: 'v', hostDisk: { path: 'd.img', type: 'Disk' } }])),
    'spec.volumes[0].hostDisk.path',
    'spec.volumes[0].hostDisk.path must be an absolute path to a file without relative components',
  ],
  [
    'volumes: DiskOrCreate capacity',
    vmi('r-vol-cap', (s) => (s['volumes'] = [{ name: 'v', hostDisk: { path: '/var/lib/d.img', type: 'DiskOrCreate' } }])),
    'spec.volumes[0].hostDisk.capacity',
    "spec.volumes[0].hostDisk.capacity is required for hostDisk volume type 'DiskOrCreate'",
  ],
  [
    'volumes: capacity positive',
    vmi('r-vol-cap0', (s) => (s['volumes'] = [{ name: 'v', hostDisk: { path: '/var/lib/d.img', type: 'DiskOrCreate', capacity: '0' } }])),
    'spec.volumes[0].hostDisk.capacity',
    "spec.volumes[0].hostDisk.capacity '0': must be greater than 0",
  ],
  ['vm: running xor runStrategy', vm('r-vm-both', (s) => (s['running'] = true)), 'spec.running', 'Running and RunStrategy are mutually exclusive'],
  ['vm: one of running/runStrategy', vm('r-vm-none', (s) => delete s['runStrategy']), 'spec.running', 'One of Running or RunStrategy must be specified'],
  [
    'vm: template with the VMI rules',
    vm('r-vm-tpl', (s) => (s['template'].spec.domain.devices.qats[1].name = 'qat-cy')),
    'spec.template.spec.domain.devices.qats[1].name',
    'spec.template.spec.domain.devices.qats[1] and spec.template.spec.domain.devices.qats[0] must not have the same name "qat-cy"',
  ],
];

describe('each validation rule through the real API server', () => {
  it.each(rows)('%s', async (_rule, manifest, field, message) => {
    const status = await createVmi(structuredClone(manifest));
    expect(status, 'created, expected a denial').toBeDefined();
    const cause = status!.details?.causes?.find((c) => c.field === field);
    expect(cause, `no cause on ${field} in ${JSON.stringify(status!.details?.causes)}`).toBeDefined();
    if (typeof message === 'string') expect(cause!.message).toBe(message);
    else expect(cause!.message).toMatch(message);
    const r = await cp.kubectl(['create', '-f', '-'], { stdin: JSON.stringify(manifest) });
    expect(r.code).not.toBe(0);
    // kubectl prints a 422 Invalid with causes as "The request is invalid: <field>: <message>" (one "* " line each when several).
    expect(r.stderr).toMatch(/The request is invalid:/);
    expect(r.stderr).toContain(`${field}: ${cause!.message}`);
  });
});
