/** The operational endpoints: liveness, readiness (for load balancers) and Prometheus metrics. */
import type { ServerResponse } from 'node:http';
import type { Gauges, Metrics } from './metrics.ts';

export interface ApiState {
  readonly metrics: Metrics;
  gauges(): Gauges;
  /** Why the server is not accepting peers, or undefined when it is. */
  notReadyReason(): string | undefined;
  readonly instanceId: string;
  readonly busKind: string;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** Returns false when the path is not an API path. */
export function handleApi(pathname: string, res: ServerResponse, state: ApiState): boolean {
  switch (pathname) {
    case '/health':
      sendJson(res, 200, { status: 'ok', uptimeS: state.metrics.uptimeS() });
      return true;
    case '/ready': {
      const reason = state.notReadyReason();
      const g = state.gauges();
      const body = {
        ready: reason === undefined,
        ...(reason ? { reason } : {}),
        instanceId: state.instanceId,
        bus: state.busKind,
        connections: g.connections,
        rooms: g.rooms,
        peers: g.peers,
      };
      sendJson(res, reason ? 503 : 200, body);
      return true;
    }
    case '/metrics': {
      const body = Buffer.from(state.metrics.render(state.gauges()));
      res.writeHead(200, {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(body);
      return true;
    }
    default:
      return false;
  }
}
