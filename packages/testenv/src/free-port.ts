import { createServer, type AddressInfo } from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago. The OS does not hand the
 * same ephemeral port out again right away, so the small race is acceptable in tests.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
