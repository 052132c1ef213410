/**
 * The signaling wire format: JSON text frames over one WebSocket. The server only introduces
 * peers: it relays opaque `signal` payloads (SDP offers/answers, ICE candidates) between members
 * of one room and never sees message content.
 *
 * Join is authenticated: the server greets each socket with a random nonce, and `join` carries
 * the Ed25519 public key plus a signature over `JOIN_CONTEXT | nonce | room`. The server checks
 * that the key hashes to the claimed peer id, so nobody can join under someone else's id (and a
 * second socket with the same, proven id is the same device reconnecting: it replaces the old).
 */
import { fail, ok, type MeshErrorCode, type Result } from './errors.ts';
import { isPeerId } from './identity.ts';

export const SIGNALING_PATH = '/signal';
/** Largest text frame either side accepts; bigger frames get `oversize` and are not parsed. */
export const MAX_SIGNAL_MESSAGE_BYTES = 64 * 1024;
export const JOIN_CONTEXT = 'katya-mesh/join/v1';
/**
 * WebSocket close codes the server uses, so a client can tell why it was dropped: it should not
 * reconnect in a loop after `replaced` (another tab or device holds the same identity).
 */
export const SIGNAL_CLOSE = {
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
  replaced: 4001,
} as const;
const ROOM_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAME_LENGTH = 64;
const HEX64_RE = /^[0-9a-f]{64}$/; // 32-byte public key
const HEX128_RE = /^[0-9a-f]{128}$/; // 64-byte signature

export interface PeerInfo {
  peerId: string;
  name: string;
}

/** Opaque to the server; shaped by src/net (SDP or ICE candidate). Bounded by the frame size. */
export type SignalData = Record<string, unknown>;

export type ClientMessage =
  | { t: 'join'; room: string; peerId: string; name: string; publicKey: string; sig: string }
  | { t: 'leave' }
  | { t: 'signal'; to: string; data: SignalData };

export type ServerMessage =
  | { t: 'hello'; nonce: string; serverId: string }
  | { t: 'welcome'; room: string; self: PeerInfo; peers: PeerInfo[] }
  | { t: 'peer-joined'; peer: PeerInfo }
  | { t: 'peer-left'; peerId: string }
  | { t: 'signal'; from: string; data: SignalData }
  /** `peerId`: the target of the signal this error refuses (unknown-target, wrong-room, …). */
  | { t: 'error'; code: MeshErrorCode; message: string; peerId?: string };

export function isRoomName(s: unknown): s is string {
  return typeof s === 'string' && ROOM_RE.test(s);
}

/** Display names are free text but bounded and stripped of control characters. */
export function cleanName(s: unknown): string {
  if (typeof s !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_NAME_LENGTH);
}

/** Bytes that the join signature covers. */
export function joinChallengeBytes(nonce: string, room: string): Uint8Array {
  return new TextEncoder().encode(`${JOIN_CONTEXT}|${nonce}|${room}`);
}

function parseObject(text: string): Result<Record<string, unknown>> {
  // Length in UTF-16 units is a lower bound of the UTF-8 byte length: cheap first gate.
  if (text.length > MAX_SIGNAL_MESSAGE_BYTES) return fail('oversize', 'message over 64 KiB');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return fail('bad-json', 'message is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return fail('bad-message', 'message is not an object');
  }
  return ok(v as Record<string, unknown>);
}

function isSignalData(v: unknown): v is SignalData {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseClientMessage(text: string): Result<ClientMessage> {
  const r = parseObject(text);
  if (!r.ok) return r;
  const m = r.value;
  switch (m.t) {
    case 'join':
      if (!isRoomName(m.room))
        return fail('bad-message', 'join.room must match [A-Za-z0-9_.-]{1,64}');
      if (!isPeerId(m.peerId)) return fail('bad-message', 'join.peerId must be 32 hex chars');
      if (typeof m.publicKey !== 'string' || !HEX64_RE.test(m.publicKey)) {
        return fail('bad-message', 'join.publicKey must be 64 hex chars');
      }
      if (typeof m.sig !== 'string' || !HEX128_RE.test(m.sig)) {
        return fail('bad-message', 'join.sig must be 128 hex chars');
      }
      return ok({
        t: 'join',
        room: m.room,
        peerId: m.peerId,
        name: cleanName(m.name),
        publicKey: m.publicKey,
        sig: m.sig,
      });
    case 'leave':
      return ok({ t: 'leave' });
    case 'signal':
      if (!isPeerId(m.to)) return fail('bad-message', 'signal.to must be a peer id');
      if (!isSignalData(m.data)) return fail('bad-message', 'signal.data must be an object');
      return ok({ t: 'signal', to: m.to, data: m.data });
    default:
      return fail('unknown-type', `unknown message type ${JSON.stringify(m.t)?.slice(0, 40)}`);
  }
}

function parsePeerInfo(v: unknown): PeerInfo | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const p = v as Record<string, unknown>;
  if (!isPeerId(p.peerId)) return undefined;
  return { peerId: p.peerId, name: cleanName(p.name) };
}

/** The client does not trust the server either: a compromised server gets typed rejections. */
export function parseServerMessage(text: string): Result<ServerMessage> {
  const r = parseObject(text);
  if (!r.ok) return r;
  const m = r.value;
  switch (m.t) {
    case 'hello':
      if (typeof m.nonce !== 'string' || m.nonce.length > 128)
        return fail('bad-message', 'hello.nonce');
      return ok({
        t: 'hello',
        nonce: m.nonce,
        serverId: typeof m.serverId === 'string' ? m.serverId.slice(0, 64) : '',
      });
    case 'welcome': {
      const self = parsePeerInfo(m.self);
      if (!isRoomName(m.room) || !self || !Array.isArray(m.peers)) {
        return fail('bad-message', 'welcome needs room, self, peers');
      }
      const peers: PeerInfo[] = [];
      for (const p of m.peers) {
        const info = parsePeerInfo(p);
        if (!info) return fail('bad-message', 'welcome.peers has a bad entry');
        peers.push(info);
      }
      return ok({ t: 'welcome', room: m.room, self, peers });
    }
    case 'peer-joined': {
      const peer = parsePeerInfo(m.peer);
      return peer ? ok({ t: 'peer-joined', peer }) : fail('bad-message', 'peer-joined.peer');
    }
    case 'peer-left':
      return isPeerId(m.peerId)
        ? ok({ t: 'peer-left', peerId: m.peerId })
        : fail('bad-message', 'peer-left.peerId');
    case 'signal':
      if (!isPeerId(m.from) || !isSignalData(m.data))
        return fail('bad-message', 'signal needs from, data');
      return ok({ t: 'signal', from: m.from, data: m.data });
    case 'error':
      return ok({
        t: 'error',
        code: (typeof m.code === 'string' ? m.code : 'internal') as MeshErrorCode,
        message: typeof m.message === 'string' ? m.message.slice(0, 500) : '',
        ...(isPeerId(m.peerId) ? { peerId: m.peerId } : {}),
      });
    default:
      return fail('unknown-type', 'unknown server message type');
  }
}
