/**
 * One timer for all sockets: a socket that has not answered the previous ping by the next tick is
 * dead (a laptop lid closed, a NAT dropped the flow) and is terminated, so its room hears
 * peer-left within two intervals instead of when TCP finally gives up.
 */
import type { Metrics } from './metrics.ts';
import type { Session } from './session.ts';

export function startHeartbeat(
  sessions: ReadonlySet<Session>,
  intervalMs: number,
  metrics: Metrics,
): () => void {
  const timer = setInterval(() => {
    for (const s of sessions) {
      if (!s.alive) {
        metrics.heartbeatTerminations++;
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      s.ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
