// @qvirt/kube/cluster-config: the cluster configuration in force, watched from the ConfigMap
// kubevirt/kubevirt-config and the KubeVirt CR.
export {
  ClusterConfigSource,
  type ClusterConfigSourceOptions,
  type ClusterConfigWatch,
  type ClusterConfigInformers,
  type ConfigInformer,
  type ConfigMapLike,
} from './cluster-config-source.js';
