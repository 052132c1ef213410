/**
 * What instances write to each other through Redis. Other instances are ours, but a version skew
 * or a stray publisher must not crash a server: every field is checked like any other input.
 */
import { isPeerId } from '../src/protocol/identity.ts';
import { cleanName, isRoomName } from '../src/protocol/signaling.ts';
import type { Member, RelayedSignal, RoomEvent } from './room-bus.ts';

function parse(text: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined; // the caller logs and drops it
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

const isInstanceId = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= 64;

export function decodeMember(peerId: string, value: string): Member | undefined {
  const m = parse(value);
  if (!m || !isPeerId(peerId) || !isInstanceId(m.i)) return undefined;
  return { peer: { peerId, name: cleanName(m.n) }, instanceId: m.i };
}

export function decodeEvent(room: string, text: string): RoomEvent | undefined {
  const m = parse(text);
  if (!m || !isRoomName(room) || !isInstanceId(m.i)) return undefined;
  if (m.k === 'j') {
    const peer = m.p as Record<string, unknown> | undefined;
    if (!peer || !isPeerId(peer.peerId)) return undefined;
    return {
      kind: 'joined',
      room,
      member: { peer: { peerId: peer.peerId, name: cleanName(peer.name) }, instanceId: m.i },
    };
  }
  if (m.k === 'l' && isPeerId(m.id)) return { kind: 'left', room, peerId: m.id, instanceId: m.i };
  return undefined;
}

export function decodeSignal(text: string): RelayedSignal | undefined {
  const m = parse(text);
  if (!m || !isRoomName(m.r) || !isPeerId(m.f) || !isPeerId(m.t)) return undefined;
  if (typeof m.d !== 'object' || m.d === null || Array.isArray(m.d)) return undefined;
  return { room: m.r, from: m.f, to: m.t, data: m.d as Record<string, unknown> };
}
