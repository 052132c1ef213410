/**
 * Counters for /metrics in the Prometheus text format. Plain fields incremented on the hot path;
 * gauges (connections, rooms) are read from live state at scrape time so they cannot drift.
 */
import type { MeshErrorCode } from '../src/protocol/errors.ts';

export interface Gauges {
  connections: number;
  rooms: number;
  peers: number;
  ready: boolean;
}

export class Metrics {
  connectionsTotal = 0;
  connectionsRejected = 0;
  messagesReceived = 0;
  signalsRelayed = 0;
  signalsRelayedRemote = 0;
  signalsDelivered = 0;
  joins = 0;
  replacements = 0;
  rateLimitDrops = 0;
  rateLimitDisconnects = 0;
  heartbeatTerminations = 0;
  private readonly errors = new Map<MeshErrorCode, number>();
  private readonly startedAt = Date.now();

  error(code: MeshErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  errorCount(code: MeshErrorCode): number {
    return this.errors.get(code) ?? 0;
  }

  uptimeS(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }

  render(g: Gauges): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, value: number) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric('katya_connections', 'gauge', 'Open signaling sockets.', g.connections);
    metric('katya_rooms', 'gauge', 'Rooms with at least one peer on this instance.', g.rooms);
    metric('katya_peers', 'gauge', 'Joined peers on this instance.', g.peers);
    metric('katya_ready', 'gauge', '1 when accepting peers.', g.ready ? 1 : 0);
    metric('katya_uptime_seconds', 'gauge', 'Seconds since start.', this.uptimeS());
    metric('katya_connections_total', 'counter', 'Sockets accepted.', this.connectionsTotal);
    metric(
      'katya_connections_rejected_total',
      'counter',
      'Upgrades refused (limit or shutdown).',
      this.connectionsRejected,
    );
    metric('katya_messages_received_total', 'counter', 'Client frames.', this.messagesReceived);
    metric('katya_joins_total', 'counter', 'Successful joins.', this.joins);
    metric('katya_replacements_total', 'counter', 'Same-id reconnects.', this.replacements);
    metric('katya_signals_relayed_total', 'counter', 'Signals accepted.', this.signalsRelayed);
    metric(
      'katya_signals_relayed_remote_total',
      'counter',
      'Signals sent to another instance.',
      this.signalsRelayedRemote,
    );
    metric(
      'katya_signals_delivered_total',
      'counter',
      'Signals written to a local socket.',
      this.signalsDelivered,
    );
    metric('katya_rate_limit_drops_total', 'counter', 'Frames dropped.', this.rateLimitDrops);
    metric(
      'katya_rate_limit_disconnects_total',
      'counter',
      'Sockets closed for flooding.',
      this.rateLimitDisconnects,
    );
    metric(
      'katya_heartbeat_terminations_total',
      'counter',
      'Dead sockets terminated.',
      this.heartbeatTerminations,
    );
    out.push('# HELP katya_errors_total Typed error replies by code.');
    out.push('# TYPE katya_errors_total counter');
    for (const [code, n] of this.errors) out.push(`katya_errors_total{code="${code}"} ${n}`);
    return out.join('\n') + '\n';
  }
}
