/**
 * The server factory: one HTTP server on one port for the app, the operational endpoints and the
 * signaling WebSocket. Nothing listens until createSignalServer is called.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import {
  MAX_SIGNAL_MESSAGE_BYTES,
  SIGNALING_PATH,
  SIGNAL_CLOSE,
} from '../src/protocol/signaling.ts';
import { MeshError } from '../src/protocol/errors.ts';
import { startHeartbeat } from './heartbeat.ts';
import { handleApi, type ApiState } from './http-api.ts';
import { Metrics } from './metrics.ts';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limit.ts';
import { createRedisBus } from './redis-bus.ts';
import { createMemoryBus, type RoomBus } from './room-bus.ts';
import { RoomRegistry } from './rooms.ts';
import { applySecurityHeaders } from './security-headers.ts';
import { attachSession, type Session, type SessionContext } from './session.ts';
import { createStaticSite, sendText } from './static-files.ts';

export interface SignalServerOptions {
  /** 0 picks a free port; see address(). Default 8080. */
  port?: number;
  /** Default '0.0.0.0'. */
  host?: string;
  /** The built app; null disables static serving. Default 'dist'. */
  staticDir?: string | null;
  /** Share rooms with other instances through Redis. Ignored when `bus` is given. */
  redisUrl?: string;
  /** Inject a bus (tests run several instances on one in-memory hub). */
  bus?: RoomBus;
  /** Ping period; a socket that misses one ping is terminated at the next. Default 10 s. */
  heartbeatIntervalMs?: number;
  /** Further upgrades get HTTP 503. Default 20,000 (about this machine's fd limit). */
  maxConnections?: number;
  /** Default 256: keeps a `welcome` well under the 64 KiB frame limit clients enforce. */
  maxRoomSize?: number;
  rateLimit?: Partial<RateLimitOptions>;
  /** Redis only: how long a crashed instance's peers linger. Default 15 s. */
  presenceTtlMs?: number;
  /** Redis only: key and channel prefix. Default 'katya:'. */
  redisPrefix?: string;
  /** Sent in `hello`; defaults to the bus instance id. */
  serverId?: string;
  log?: (line: string) => void;
}

export interface SignalServer {
  readonly ready: Promise<void>;
  close(): Promise<void>;
  address(): { port: number; host: string };
  readonly metrics: Metrics;
  readonly instanceId: string;
  readonly busKind: 'memory' | 'redis';
}

const CLOSE_WAIT_MS = 1000;

export function createSignalServer(opts: SignalServerOptions = {}): SignalServer {
  const log = opts.log ?? ((line: string) => console.log(line));
  const bus =
    opts.bus ??
    (opts.redisUrl
      ? createRedisBus({
          url: opts.redisUrl,
          presenceTtlMs: opts.presenceTtlMs ?? 15_000,
          prefix: opts.redisPrefix ?? 'katya:',
          log,
        })
      : createMemoryBus());
  const metrics = new Metrics();
  const registry = new RoomRegistry(bus, metrics, opts.maxRoomSize ?? 256, log);
  const sessions = new Set<Session>();
  const ctx: SessionContext = {
    registry,
    metrics,
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...opts.rateLimit },
    sessions,
    serverId: opts.serverId ?? bus.instanceId,
    log,
  };
  const maxConnections = opts.maxConnections ?? 20_000;
  const site = opts.staticDir === null ? undefined : createStaticSite(opts.staticDir ?? 'dist');
  // The server never buffers more than one protocol frame per socket; no compression keeps the
  // per-socket cost at ws's minimum and avoids zlib memory per connection.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_SIGNAL_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  let closing = false;

  const api: ApiState = {
    metrics,
    instanceId: bus.instanceId,
    busKind: bus.kind,
    gauges: () => ({
      connections: sessions.size,
      rooms: registry.rooms.size,
      peers: registry.peerCount(),
      ready: api.notReadyReason() === undefined,
    }),
    notReadyReason: () => {
      if (closing) return 'closing';
      if (!bus.isReady()) return `${bus.kind} bus not connected`;
      if (sessions.size >= maxConnections) return 'connection limit reached';
      return undefined;
    },
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    applySecurityHeaders(res);
    // The raw path, not URL-normalised: normalising would quietly turn '/../x' into '/x'.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    if (handleApi(pathname, res, api)) return;
    if (!site) return sendText(res, 404, 'not found');
    await site.serve(req, res, pathname);
  };

  const http = createServer((req, res) => {
    handleRequest(req, res).catch((e: unknown) => {
      log(`http ${req.method} ${req.url}: ${String(e)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    if ((q < 0 ? raw : raw.slice(0, q)) !== SIGNALING_PATH) {
      return rejectUpgrade(socket, 404, 'Not Found');
    }
    const reason = api.notReadyReason();
    if (reason) {
      metrics.connectionsRejected++;
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSession(ws, ctx));
  });

  const stopHeartbeat = startHeartbeat(sessions, opts.heartbeatIntervalMs ?? 10_000, metrics);

  const ready = (async () => {
    http.listen(opts.port ?? 8080, opts.host ?? '0.0.0.0');
    await once(http, 'listening');
    await bus.ready;
  })();

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      stopHeartbeat();
      const gone: Promise<unknown>[] = [];
      for (const s of sessions) {
        // Leave first so other instances hear peer-left now, not after presence expiry.
        registry.leave(s);
        gone.push(once(s.ws, 'close'));
        s.ws.close(SIGNAL_CLOSE.goingAway, 'server shutting down');
      }
      await Promise.race([Promise.all(gone), delay(CLOSE_WAIT_MS)]);
      for (const s of sessions) s.ws.terminate();
      registry.dispose();
      await bus.close();
      await new Promise<void>((resolve) => {
        if (!http.listening) return resolve();
        http.close(() => resolve());
        http.closeAllConnections();
      });
    })());

  return {
    ready,
    close,
    address() {
      const a = http.address() as AddressInfo | null;
      if (!a) throw new MeshError('internal', 'server is not listening');
      return { port: a.port, host: a.address };
    },
    metrics,
    instanceId: bus.instanceId,
    busKind: bus.kind,
  };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  // The peer may reset first; without a listener that error would crash the process.
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
