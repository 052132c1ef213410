/**
 * One signaling socket: greeting, flood control, parsing and dispatch. Listeners are shared
 * functions that find their Session through a symbol on the socket, so a connection costs one
 * small object rather than a handful of closures (memory per socket is a target we measure).
 */
import type { EventEmitter } from 'node:events';
import { WebSocket, type RawData } from 'ws';
import { fromHex, randomId } from '../src/protocol/bytes.ts';
import type { MeshErrorCode } from '../src/protocol/errors.ts';
import { publicKeyMatchesPeerId, verifySignature } from '../src/protocol/identity.ts';
import {
  SIGNAL_CLOSE,
  joinChallengeBytes,
  parseClientMessage,
  type ClientMessage,
} from '../src/protocol/signaling.ts';
import type { Metrics } from './metrics.ts';
import { MessageRateLimiter, type RateLimitOptions } from './rate-limit.ts';
import type { Room, RoomRegistry, RoomSession } from './rooms.ts';

export interface SessionContext {
  readonly registry: RoomRegistry;
  readonly metrics: Metrics;
  readonly rateLimit: RateLimitOptions;
  readonly sessions: Set<Session>;
  readonly serverId: string;
  readonly log: (line: string) => void;
}

const SESSION = Symbol('katya.session');
type SessionSocket = WebSocket & { [SESSION]?: Session };

/** A client that ignores our close frame must not hold its socket for ws's 30 s default. */
const CLOSE_GRACE_MS = 1000;

const ERROR_TEXT: Partial<Record<MeshErrorCode, string>> = {
  'not-joined': 'join a room first',
  'wrong-room': 'target is in another room',
  'unknown-target': 'no such peer in this room',
  oversize: 'the relayed signal would exceed 64 KiB',
};

export class Session implements RoomSession {
  peerId: string | undefined = undefined;
  room: Room | undefined = undefined;
  closed = false;
  /** Cleared by each heartbeat, set by each pong. */
  alive = true;
  readonly nonce = randomId();
  readonly limiter: MessageRateLimiter;
  private busy = false;
  private queue: string[] | undefined = undefined;

  constructor(
    readonly ws: WebSocket,
    readonly ctx: SessionContext,
  ) {
    this.limiter = new MessageRateLimiter(ctx.rateLimit, performance.now());
  }

  send(frame: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** `peerId`: the signal target the error is about, so the client can drop that negotiation. */
  sendError(code: MeshErrorCode, message: string, peerId?: string): void {
    this.ctx.metrics.error(code);
    this.send(JSON.stringify({ t: 'error', code, message, ...(peerId ? { peerId } : {}) }));
  }

  closeReplaced(): void {
    this.closeSoon(SIGNAL_CLOSE.replaced, 'replaced by a newer connection');
  }

  closeSoon(code: number, reason: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  receive(text: string): void {
    if (this.busy) (this.queue ??= []).push(text);
    else this.handle(text);
  }

  private handle(text: string): void {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.sendError(parsed.error.code, parsed.error.message);
      return;
    }
    const m = parsed.value;
    switch (m.t) {
      case 'signal': {
        const code = this.ctx.registry.relay(this, m.to, m.data);
        if (code) this.sendError(code, ERROR_TEXT[code] ?? code, m.to);
        return;
      }
      case 'leave':
        this.ctx.registry.leave(this);
        return;
      case 'join':
        // Verification is async; later frames wait so the client sees its messages in order.
        this.busy = true;
        this.join(m)
          .catch((e: unknown) => {
            this.ctx.log(`join failed: ${String(e)}`);
            this.sendError('internal', 'join failed');
          })
          .finally(() => {
            this.busy = false;
            while (!this.busy && this.queue?.length) this.handle(this.queue.shift()!);
          });
    }
  }

  private async join(m: Extract<ClientMessage, { t: 'join' }>): Promise<void> {
    const publicKey = fromHex(m.publicKey);
    const sig = fromHex(m.sig);
    if (!publicKey || !sig) return this.sendError('bad-message', 'join key or sig is not hex');
    if (!(await publicKeyMatchesPeerId(publicKey, m.peerId))) {
      return this.sendError('bad-identity', 'publicKey does not hash to peerId');
    }
    if (!(await verifySignature(publicKey, sig, joinChallengeBytes(this.nonce, m.room)))) {
      return this.sendError('bad-signature', 'join signature does not verify');
    }
    if (this.closed) return;
    const out = await this.ctx.registry.join(this, m.room, { peerId: m.peerId, name: m.name });
    if (!out.ok && out.code !== 'aborted') this.sendError(out.code, out.message);
  }
}

function onMessage(this: SessionSocket, data: RawData, isBinary: boolean): void {
  const s = this[SESSION];
  if (!s || this.readyState !== WebSocket.OPEN) return;
  const { metrics } = s.ctx;
  metrics.messagesReceived++;
  const verdict = s.limiter.check(performance.now());
  if (verdict === 'drop') {
    metrics.rateLimitDrops++;
    s.sendError('rate-limited', 'too many messages; slow down');
    return;
  }
  if (verdict === 'disconnect') {
    metrics.rateLimitDisconnects++;
    s.closeSoon(SIGNAL_CLOSE.policy, 'rate limit exceeded');
    return;
  }
  if (isBinary) {
    s.sendError('bad-frame', 'binary frames are not accepted; send JSON text');
    return;
  }
  const buf = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data);
  s.receive(buf.toString('utf8'));
}

function onPong(this: SessionSocket): void {
  const s = this[SESSION];
  if (s) s.alive = true;
}

function onClose(this: SessionSocket): void {
  const s = this[SESSION];
  if (!s || s.closed) return;
  s.closed = true;
  s.ctx.sessions.delete(s);
  s.ctx.registry.leave(s);
}

function onError(this: SessionSocket, err: Error): void {
  // Protocol violations (oversize, bad UTF-8) are answered in onReceiverError; ws closes after.
  this[SESSION]?.ctx.log(`socket error: ${err.message}`);
}

/** Wires a freshly upgraded socket into the server and greets it. */
export function attachSession(ws: WebSocket, ctx: SessionContext): Session {
  const s = new Session(ws, ctx);
  (ws as SessionSocket)[SESSION] = s;
  ctx.sessions.add(s);
  ctx.metrics.connectionsTotal++;
  ws.on('message', onMessage);
  ws.on('pong', onPong);
  ws.on('close', onClose);
  ws.on('error', onError);
  // ws closes with 1009/1007 on an oversize or malformed frame without telling the client why
  // in the protocol's terms; listening on its receiver first lets a typed error go out before
  // the close frame. `_receiver` is internal to ws, hence the guard: without it, only the close
  // code is sent.
  const receiver = (ws as unknown as { _receiver?: EventEmitter })._receiver;
  receiver?.prependListener('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      s.sendError('oversize', 'message over 64 KiB');
    } else {
      s.sendError('bad-frame', err.message);
    }
  });
  s.send(JSON.stringify({ t: 'hello', nonce: s.nonce, serverId: ctx.serverId }));
  return s;
}
