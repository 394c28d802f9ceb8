import type { Pod } from '@qvirt/kube';
import { Labels } from '@qvirt/api';

/** Launcher pods by the VMI uid in their `kubevirt.io/created-by` label, kept current by the pod informer. */
export class PodIndex {
  private readonly byUid = new Map<string, Map<string, Pod>>();

  upsert(pod: Pod): void {
    const uid = pod.metadata?.labels?.[Labels.createdBy];
    if (!uid) return;
    let m = this.byUid.get(uid);
    if (!m) this.byUid.set(uid, (m = new Map()));
    m.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, pod);
  }

  remove(pod: Pod): void {
    const uid = pod.metadata?.labels?.[Labels.createdBy];
    if (!uid) return;
    const m = this.byUid.get(uid);
    m?.delete(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
    if (m?.size === 0) this.byUid.delete(uid);
  }

  forVmi(uid: string | undefined): Pod[] {
    return uid ? [...(this.byUid.get(uid)?.values() ?? [])] : [];
  }
}
