// The HTTP load generator in its own process, so the bench process's CPU time is the servers'
// alone (autocannon's worker thread would otherwise count as the server's). Talks over IPC:
// receives autocannon options, answers with the figures the benches use.
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  body: string;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
}

process.on('message', (msg: LoadRequest) => {
  void autocannon({
    url: msg.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: msg.body,
    connections: msg.connections,
    duration: msg.durationS,
    tlsOptions: { rejectUnauthorized: false },
  } as autocannon.Options).then((r) => {
    const result: LoadResult = { rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
    process.send?.(result);
  });
});
