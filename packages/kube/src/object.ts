/**
 * The fields this package reads from any API object. Looser than client-node's
 * KubernetesObject (whose creationTimestamp is a Date) so both client-node
 * models and @qvirt/api types (plain JSON) fit.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
}

export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}
