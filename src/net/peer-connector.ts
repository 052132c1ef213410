/**
 * Negotiates WebRTC data channels with simple-peer and hands each open channel to the node worker
 * as a MessagePort. Negotiation payloads go out through `sendSignal`, which the composition root
 * routes through the mesh when the target is reachable there and through the signaling server
 * otherwise; so this module does not care which.
 *
 * Offer collisions (both peers dial each other at once) resolve deterministically: the peer with
 * the lower id keeps its offer, the higher one drops its own and answers. Every negotiation has a
 * session id (`sid`) so a late answer for an abandoned attempt is ignored. An offer that could not
 * be delivered must be abandoned (`abandon`): kept, it would win every collision with the peer's
 * next offer while its own never arrives, and the two would not link until it timed out.
 */
import './polyfills.ts';
import SimplePeer from 'simple-peer';
import { randomId } from '../protocol/bytes.ts';
import type { SignalData } from '../protocol/signaling.ts';
import { bridgeChannel, type ChannelBridge } from './channel-bridge.ts';

/** The negotiation payload we put on the wire (signaling server or mesh). */
export interface NegotiationSignal extends SignalData {
  sid: string;
  /** simple-peer's signal object: {type:'offer'|'answer', sdp} with trickle off. */
  sp: Record<string, unknown>;
}

export interface PeerConnectorOptions {
  selfId: string;
  rtcConfig?: RTCConfiguration;
  sendSignal(to: string, data: NegotiationSignal): void;
  /** A channel is open: `port` is the worker's end of the bridge for this peer. */
  onLink(peerId: string, port: MessagePort): void;
  onError?(peerId: string, error: Error): void;
  /** How long a negotiation may take before it is abandoned. */
  connectTimeoutMs?: number;
}

interface Attempt {
  sid: string;
  initiator: boolean;
  peer: SimplePeer.Instance;
  timer: ReturnType<typeof setTimeout>;
  bridge?: ChannelBridge;
}

export interface PeerConnector {
  dial(peerId: string): void;
  handleSignal(from: string, data: SignalData): void;
  /** Peers with an open or pending channel. */
  active(): string[];
  hangUp(peerId: string): void;
  /**
   * Our negotiation with `peerId` can get no answer (the signal was refused or dropped): forget a
   * pending attempt, so a fresh dial, or the peer's own offer, is not blocked behind it. An open
   * channel is left alone.
   */
  abandon(peerId: string): void;
  close(): void;
}

/** simple-peer keeps the RTCDataChannel private; we take it for the hot path (see bridge). */
function dataChannelOf(peer: SimplePeer.Instance): RTCDataChannel | undefined {
  return (peer as unknown as { _channel?: RTCDataChannel })._channel ?? undefined;
}

/** A peer that sends more than this before our side is connected is not following the protocol. */
const MAX_EARLY_MESSAGES = 64;

function isNegotiation(data: SignalData): data is NegotiationSignal {
  return (
    typeof data.sid === 'string' &&
    data.sid.length <= 64 &&
    typeof data.sp === 'object' &&
    data.sp !== null
  );
}

export function createPeerConnector(opts: PeerConnectorOptions): PeerConnector {
  const attempts = new Map<string, Attempt>();
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const rtcConfig = opts.rtcConfig ?? { iceServers: [] };

  const drop = (peerId: string, a: Attempt) => {
    clearTimeout(a.timer);
    if (attempts.get(peerId) === a) attempts.delete(peerId);
    a.bridge?.close('hang up');
    a.peer.destroy();
  };

  const start = (peerId: string, initiator: boolean, sid: string): Attempt => {
    const peer = new SimplePeer({ initiator, trickle: false, config: rtcConfig });
    // simple-peer emits 'connect' only after an async stats check, and the far side may already
    // be sending (its link handshake starts on its own 'connect'). What arrives in between goes to
    // simple-peer's stream, which the bridge never reads: keep it and hand it over first, or the
    // peer's hello is lost and the handshake fails ("proof out of order").
    const early: Uint8Array[] = [];
    peer.on('data', (bytes: Uint8Array) => {
      if (early.length < MAX_EARLY_MESSAGES) early.push(bytes);
      else drop(peerId, a);
    });
    const a: Attempt = {
      sid,
      initiator,
      peer,
      timer: setTimeout(() => drop(peerId, a), timeoutMs),
    };
    attempts.set(peerId, a);
    peer.on('signal', (sp: Record<string, unknown>) => opts.sendSignal(peerId, { sid, sp }));
    peer.on('connect', () => {
      clearTimeout(a.timer);
      const channel = dataChannelOf(peer);
      if (!channel) return drop(peerId, a);
      const { port1, port2 } = new MessageChannel();
      a.bridge = bridgeChannel(
        channel,
        port1,
        () => {
          if (attempts.get(peerId) === a) drop(peerId, a);
        },
        early.splice(0),
      );
      opts.onLink(peerId, port2);
    });
    peer.on('close', () => {
      if (attempts.get(peerId) === a) drop(peerId, a);
    });
    peer.on('error', (err: Error) => {
      opts.onError?.(peerId, err);
      if (attempts.get(peerId) === a) drop(peerId, a);
    });
    return a;
  };

  return {
    dial(peerId) {
      if (peerId === opts.selfId || attempts.has(peerId)) return;
      start(peerId, true, randomId());
    },
    handleSignal(from, data) {
      if (from === opts.selfId || !isNegotiation(data)) return;
      const current = attempts.get(from);
      const isOffer = data.sp.type === 'offer';
      if (isOffer) {
        if (current && current.sid !== data.sid) {
          const weKeepOurs = current.initiator && !current.bridge && opts.selfId < from;
          if (weKeepOurs) return; // they will drop theirs when our offer arrives
          drop(from, current);
        }
        const a = attempts.get(from) ?? start(from, false, data.sid);
        a.peer.signal(data.sp as unknown as SimplePeer.SignalData);
        return;
      }
      if (current && current.sid === data.sid) {
        current.peer.signal(data.sp as unknown as SimplePeer.SignalData);
      }
    },
    active: () => [...attempts.keys()],
    hangUp(peerId) {
      const a = attempts.get(peerId);
      if (a) drop(peerId, a);
    },
    abandon(peerId) {
      const a = attempts.get(peerId);
      if (a && !a.bridge) drop(peerId, a);
    },
    close() {
      for (const [id, a] of [...attempts]) drop(id, a);
    },
  };
}
