// API requests from the audit log (pure): counted by verb and resource for the requests qvirt's
// own components made (their ServiceAccounts and the node), as KubeVirt's density test counts them.

export interface AuditEvent {
  verb?: string;
  stage?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; subresource?: string; apiGroup?: string; namespace?: string; name?: string };
  requestReceivedTimestamp?: string;
}

/** `verb resource[/subresource]` -> count, from audit JSON lines (one event per request: ResponseComplete). */
export function countRequests(lines: Iterable<string>, isOurs: (username: string) => boolean, since?: Date): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let ev: AuditEvent;
    try {
      ev = JSON.parse(line) as AuditEvent;
    } catch {
      continue;
    }
    if (ev.stage !== 'ResponseComplete' || !ev.verb || !ev.objectRef?.resource) continue;
    if (!isOurs(ev.user?.username ?? '')) continue;
    if (since && ev.requestReceivedTimestamp && new Date(ev.requestReceivedTimestamp) < since) continue;
    const key = `${ev.verb} ${ev.objectRef.resource}${ev.objectRef.subresource ? `/${ev.objectRef.subresource}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** qvirt's components: kubevirt ServiceAccounts and the node (its kubelet). */
export const isQvirtUser = (u: string): boolean => u.startsWith('system:serviceaccount:kubevirt:') || u.startsWith('system:node:');
