/**
 * Negotiates WebRTC data channels with simple-peer and hands each open channel to the node worker
 * as a MessagePort. Negotiation payloads go out through `sendSignal`, which the composition root
 * routes through the mesh when the target is reachable there and through the signaling server
 * otherwise; so this module does not care which.
 *
 * Offer collisions (both peers dial each other at once) resolve deterministically: the peer with
 * the lower id keeps its offer, the higher one drops its own and answers. Every negotiation has a
 * session id (`sid`) so a late answer for an abandoned attempt is ignored.
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
  close(): void;
}

/** simple-peer keeps the RTCDataChannel private; we take it for the hot path (see bridge). */
function dataChannelOf(peer: SimplePeer.Instance): RTCDataChannel | undefined {
  return (peer as unknown as { _channel?: RTCDataChannel })._channel ?? undefined;
}

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
      a.bridge = bridgeChannel(channel, port1, () => {
        if (attempts.get(peerId) === a) drop(peerId, a);
      });
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
    close() {
      for (const [id, a] of [...attempts]) drop(id, a);
    },
  };
}
