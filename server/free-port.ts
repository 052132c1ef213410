/**
 * A loopback TCP port nobody is listening on right now, for a helper process or dev server that
 * must be told its port up front (tests and benchmarks; the signaling server itself binds port 0).
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
