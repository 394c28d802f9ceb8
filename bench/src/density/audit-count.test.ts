import { describe, expect, it } from 'vitest';
import { countRequests, isQvirtUser } from './audit-count.js';

const ev = (verb: string, resource: string, user: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    stage: 'ResponseComplete',
    verb,
    user: { username: user },
    objectRef: { resource, ...extra },
    requestReceivedTimestamp: '2026-01-01T00:00:10Z',
  });

describe('countRequests', () => {
  it('counts our components by verb and resource/subresource, once per request', () => {
    const lines = [
      ev('create', 'pods', 'system:serviceaccount:kubevirt:kubevirt-controller'),
      ev('patch', 'virtualmachineinstances', 'system:serviceaccount:kubevirt:virt-handler', { subresource: 'status' }),
      ev('patch', 'virtualmachineinstances', 'system:serviceaccount:kubevirt:virt-handler', { subresource: 'status' }),
      ev('patch', 'pods', 'system:node:qvirt-node-0', { subresource: 'status' }),
      ev('create', 'virtualmachineinstances', 'qvirt-testenv-admin'),
      JSON.stringify({ stage: 'ResponseStarted', verb: 'watch', user: { username: 'system:node:n' }, objectRef: { resource: 'pods' } }),
      'not json',
    ];
    expect([...countRequests(lines, isQvirtUser)]).toEqual([
      ['create pods', 1],
      ['patch virtualmachineinstances/status', 2],
      ['patch pods/status', 1],
    ]);
  });
  it('skips requests before `since`', () => {
    expect(countRequests([ev('get', 'pods', 'system:node:n')], isQvirtUser, new Date('2026-01-01T00:00:11Z')).size).toBe(0);
  });
});
