// @qvirt/api/crd: the CustomResourceDefinitions, generated from the same schema source that
// virt-api checks manifests against, and their YAML files (deploy/crds).
export { customResourceDefinitions, crdFileName, type CustomResourceDefinition } from './crds.js';
export { renderCrdFiles, GENERATED_HEADER } from './render-crds.js';
