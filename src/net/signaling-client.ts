/**
 * Signaling client: one WebSocket to the (thin, untrusted) signaling server. It proves the device
 * identity at join (the server's nonce signed by the node worker's key), reports presence, and
 * relays opaque negotiation payloads. It reconnects with capped exponential backoff and jitter,
 * so a restarted server is rejoined without the user doing anything.
 */
import { MeshError } from '../protocol/errors.ts';
import {
  parseServerMessage,
  SIGNAL_CLOSE,
  type ClientMessage,
  type PeerInfo,
  type SignalData,
} from '../protocol/signaling.ts';

export type SignalingState = 'connecting' | 'connected' | 'disconnected';

export interface SignalingEvents {
  state(state: SignalingState): void;
  /** The full current room membership (after welcome, joins and leaves). */
  peers(peers: PeerInfo[]): void;
  joined(peer: PeerInfo): void;
  signal(from: string, data: SignalData): void;
  /**
   * The server could not relay our signal to `peerId` (it left, or never joined): whatever we are
   * negotiating with it will get no answer. Without this handler it is reported as an error.
   */
  undeliverable(peerId: string, error: MeshError): void;
  error(error: MeshError): void;
}

export interface SignalingClientOptions {
  url: string;
  room: string;
  name: string;
  peerId: string;
  publicKeyHex: string;
  /** Signs the server's challenge; the private key never leaves the node worker. */
  signJoin(nonce: string, room: string): Promise<string>;
  on: Partial<SignalingEvents>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface SignalingClient {
  readonly ready: Promise<void>;
  state(): SignalingState;
  peers(): PeerInfo[];
  /** False when not connected: the caller decides whether another path exists. */
  sendSignal(to: string, data: SignalData): boolean;
  close(): void;
}

export function createSignalingClient(opts: SignalingClientOptions): SignalingClient {
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 10_000;
  let ws: WebSocket | undefined;
  let state: SignalingState = 'disconnected';
  let closed = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const members = new Map<string, PeerInfo>();
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const setState = (s: SignalingState) => {
    if (s === state) return;
    state = s;
    opts.on.state?.(s);
  };
  const emitPeers = () => opts.on.peers?.([...members.values()]);
  const send = (m: ClientMessage) => {
    if (ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(m));
    return true;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    // Full jitter: many tabs reconnecting after a server restart must not arrive in lockstep.
    const cap = Math.min(maxBackoff, minBackoff * 2 ** attempt);
    const delay = minBackoff / 2 + Math.random() * cap;
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
  };

  const onText = async (text: string) => {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      opts.on.error?.(parsed.error);
      return;
    }
    const m = parsed.value;
    switch (m.t) {
      case 'hello': {
        const sig = await opts.signJoin(m.nonce, opts.room);
        send({
          t: 'join',
          room: opts.room,
          peerId: opts.peerId,
          name: opts.name,
          publicKey: opts.publicKeyHex,
          sig,
        });
        break;
      }
      case 'welcome':
        attempt = 0;
        members.clear();
        for (const p of m.peers) if (p.peerId !== opts.peerId) members.set(p.peerId, p);
        setState('connected');
        resolveReady();
        emitPeers();
        break;
      case 'peer-joined':
        if (m.peer.peerId === opts.peerId) break;
        members.set(m.peer.peerId, m.peer);
        opts.on.joined?.(m.peer);
        emitPeers();
        break;
      case 'peer-left':
        if (members.delete(m.peerId)) emitPeers();
        break;
      case 'signal':
        opts.on.signal?.(m.from, m.data);
        break;
      case 'error': {
        const err = new MeshError(m.code, `signaling server: ${m.message}`);
        if (m.peerId && opts.on.undeliverable) opts.on.undeliverable(m.peerId, err);
        else opts.on.error?.(err);
        break;
      }
    }
  };

  function connect() {
    if (closed) return;
    setState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(opts.url);
    } catch (e) {
      opts.on.error?.(new MeshError('bad-message', `bad signaling URL ${opts.url}`, { cause: e }));
      setState('disconnected');
      return;
    }
    ws = socket;
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return; // the protocol is text only
      onText(ev.data).catch((e: unknown) =>
        opts.on.error?.(new MeshError('internal', 'signaling handler failed', { cause: e })),
      );
    };
    socket.onclose = (ev: CloseEvent) => {
      if (ws !== socket) return;
      ws = undefined;
      members.clear();
      emitPeers();
      setState('disconnected');
      if (ev.code === SIGNAL_CLOSE.replaced) {
        // Another tab of this device joined with our identity: retrying would evict it in turn,
        // and the two would take turns forever. The mesh links of this tab keep working.
        closed = true;
        opts.on.error?.(new MeshError('handshake-failed', 'this identity joined from another tab'));
        return;
      }
      scheduleReconnect();
    };
    // onerror is always followed by onclose, which owns the retry.
    socket.onerror = () => undefined;
  }

  connect();

  return {
    ready,
    state: () => state,
    peers: () => [...members.values()],
    sendSignal: (to, data) => state === 'connected' && send({ t: 'signal', to, data }),
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (ws) {
        send({ t: 'leave' });
        ws.close(1000, 'bye');
        ws = undefined;
      }
      setState('disconnected');
    },
  };
}
