/**
 * The fields this package reads from any API object. It declares no timestamp, so
 * client-node models (whose timestamps are Dates) fit as well as the JSON types of
 * @qvirt/api and ./core-v1.ts (strings, as on the wire).
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
