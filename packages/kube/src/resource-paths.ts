// The API paths qvirt reads and writes, in one place: collections (namespace omitted: all
// namespaces) and objects.
import { resourcePath } from './kube-client.js';

const kubevirt = (resource: string) => (namespace?: string, name?: string) => resourcePath({ group: 'kubevirt.io', version: 'v1', resource, namespace, name });
const core = (resource: string) => (namespace?: string, name?: string) => resourcePath({ version: 'v1', resource, namespace, name });

export const ResourcePaths = {
  vmis: kubevirt('virtualmachineinstances'),
  vms: kubevirt('virtualmachines'),
  kubevirts: kubevirt('kubevirts'),
  pods: core('pods'),
  events: core('events'),
  secrets: core('secrets'),
  configMaps: core('configmaps'),
  nodes: (name?: string) => resourcePath({ version: 'v1', resource: 'nodes', name }),
  webhookConfigurations: (kind: 'validating' | 'mutating', name?: string) =>
    resourcePath({ group: 'admissionregistration.k8s.io', version: 'v1', resource: `${kind}webhookconfigurations`, name }),
  leases: (namespace: string, name?: string) => resourcePath({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace, name }),
} as const;
