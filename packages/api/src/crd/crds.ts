import { kubevirtSpecSchema, kubevirtStatusSchema, vmiSpecSchema, vmiStatusSchema, vmSpecSchema, vmStatusSchema } from '../schema/vmi-spec.schema.js';
import { obj, str, type JsonSchema } from '../schema/builders.js';
import { API_GROUP, API_VERSION } from '../types/vmi.js';

interface PrinterColumn {
  name: string;
  type: 'string' | 'date' | 'integer' | 'boolean';
  jsonPath: string;
  description?: string;
}

interface KindDef {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: 'Namespaced' | 'Cluster';
  spec: JsonSchema;
  status: JsonSchema;
  columns: PrinterColumn[];
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

const KINDS: KindDef[] = [
  {
    kind: 'VirtualMachineInstance',
    plural: 'virtualmachineinstances',
    singular: 'virtualmachineinstance',
    shortNames: ['vmi', 'vmis'],
    scope: 'Namespaced',
    spec: vmiSpecSchema,
    status: vmiStatusSchema,
    columns: [
      age,
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
      { name: 'QATs', type: 'string', jsonPath: '.spec.domain.devices.qats[*].name', description: 'QAT devices requested' },
      { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
    ],
  },
  {
    kind: 'VirtualMachine',
    plural: 'virtualmachines',
    singular: 'virtualmachine',
    shortNames: ['vm', 'vms'],
    scope: 'Namespaced',
    spec: vmSpecSchema,
    status: vmStatusSchema,
    columns: [
      age,
      { name: 'Status', type: 'string', jsonPath: '.status.printableStatus' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      { name: 'QATs', type: 'string', jsonPath: '.spec.template.spec.domain.devices.qats[*].name', description: 'QAT devices requested' },
    ],
  },
  {
    kind: 'KubeVirt',
    plural: 'kubevirts',
    singular: 'kubevirt',
    shortNames: ['kv', 'kvs'],
    scope: 'Namespaced',
    spec: kubevirtSpecSchema,
    status: kubevirtStatusSchema,
    columns: [age, { name: 'Phase', type: 'string', jsonPath: '.status.phase' }],
  },
];

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

function crdFor(def: KindDef): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${API_GROUP}`, labels: { 'app.kubernetes.io/part-of': 'qvirt' } },
    spec: {
      group: API_GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: ['all'],
      },
      scope: def.scope,
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.columns,
          schema: {
            openAPIV3Schema: obj(
              { apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec: def.spec, status: def.status },
              ['spec'],
              `${def.kind} (kubevirt.io/v1 subset served by qvirt).`,
            ),
          },
        },
      ],
    },
  };
}

/** Every CRD qvirt serves, computed from the one schema source in ../schema. */
export function customResourceDefinitions(): CustomResourceDefinition[] {
  return KINDS.map(crdFor);
}

/** File name under deploy/crds/, as controller-gen names them. */
export function crdFileName(crd: CustomResourceDefinition): string {
  const [plural, ...group] = crd.metadata.name.split('.');
  return `${group.join('.')}_${plural}.yaml`;
}
