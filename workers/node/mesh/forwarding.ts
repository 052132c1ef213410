/**
 * Data plane: routed unicast (data, signal) and broadcast.
 *
 * Unicast relays do NOT verify signatures: a relay only rewrites ttl/hops in a copy of the bytes
 * it received and hands them to the next hop from the table (O(1)). The destination verifies
 * before delivering, so a forgery costs relays bandwidth, never a false delivery; verifying at
 * every hop would multiply the dominant CPU cost by the path length.
 *
 * Broadcasts are verified at every node, because every node is a destination (and a forged copy
 * must not be marked seen ahead of the genuine one). Only nodes that a copy names as relay
 * re-forward (relays.ts).
 */
import { encodeFrame, type BroadcastFrame, type RoutedFrame } from '../../../src/protocol/frame.ts';
import { signableBytes, signBroadcast, signRouted } from '../../../src/protocol/frame-signing.ts';
import type { MeshCore } from './core.ts';
import { planFlood } from './relays.ts';
import type { LinkSession } from './session.ts';
import { BoundedMap, countDrop } from './util.ts';

const SEEN_CAP = 16_384;
/** Broadcast frames kept for a late relay duty (a selector's copy arriving after a non-selector's). */
const LATE_CAP = 256;

export class Forwarder {
  private readonly delivered = new BoundedMap<string, true>(SEEN_CAP);
  private readonly verifying = new Set<string>();
  private readonly seen = new BoundedMap<string, boolean>(SEEN_CAP);
  private readonly late = new BoundedMap<string, BroadcastFrame>(LATE_CAP);
  /** Broadcasts being verified → the neighbour whose copy named us relay (if any did). */
  private readonly pending = new Map<string, string | undefined>();

  constructor(private readonly core: MeshCore) {}

  private nextHop(dst: string): string | undefined {
    const { core } = this;
    let hop = core.forwardingTable().nextHop(dst);
    // The debounced table points at a link that just went down: pay for a fresh table now
    // rather than drop the packet.
    if (hop !== undefined && !core.sessions.has(hop)) hop = core.currentTable().nextHop(dst);
    if (hop !== undefined && core.sessions.has(hop)) return hop;
    return core.sessions.has(dst) ? dst : undefined;
  }

  /** Signs and sends; `routed` reports whether a route exists now (the send is async). */
  sendRouted(
    type: 'data' | 'signal',
    to: string,
    body: Uint8Array,
  ): { msgId: string; routed: boolean } {
    const { core } = this;
    const msgId = core.cfg.newMsgId();
    const routed = to !== core.me && this.nextHop(to) !== undefined;
    if (!routed) {
      countDrop(core.stats, 'no-route');
      return { msgId, routed };
    }
    void signRouted(core.cfg.identity, {
      type,
      ttl: core.cfg.hopLimit,
      hops: 0,
      dst: to,
      msgId,
      body,
    }).then((f) => {
      const hop = this.nextHop(to);
      if (hop === undefined) return countDrop(core.stats, 'no-route');
      core.session(hop)!.send(encodeFrame(f));
    });
    return { msgId, routed };
  }

  broadcast(body: Uint8Array): { msgId: string } {
    const { core } = this;
    const msgId = core.cfg.newMsgId();
    this.seen.set(core.me + msgId, true);
    void signBroadcast(core.cfg.identity, {
      ttl: core.cfg.hopLimit,
      hops: 0,
      msgId,
      relays: [],
      body,
    }).then((f) => this.flood(f, undefined));
    return { msgId };
  }

  async onRouted(_s: LinkSession, f: RoutedFrame, raw: Uint8Array): Promise<void> {
    const { core } = this;
    const { stats } = core;
    if (f.dst !== core.me) {
      if (f.ttl <= 1) return countDrop(stats, 'ttl-expired');
      const hop = this.nextHop(f.dst);
      if (hop === undefined) return countDrop(stats, 'no-route');
      const copy = raw.slice();
      copy[2] = f.ttl - 1;
      copy[3] = Math.min(255, f.hops + 1);
      if (core.session(hop)!.send(copy)) stats.forwarded++;
      return;
    }
    const key = f.type + f.src + f.msgId;
    if (this.delivered.has(key) || this.verifying.has(key)) return countDrop(stats, 'duplicate');
    const pk = core.keyOf(f.src);
    if (pk === undefined) return countDrop(stats, 'unknown-source');
    this.verifying.add(key);
    stats.verifications++;
    const valid = await this.verify(pk, f.sig, signableBytes(f));
    this.verifying.delete(key);
    if (!valid) return countDrop(stats, 'bad-signature');
    if (this.delivered.has(key) || core.closed) return countDrop(stats, 'duplicate');
    this.delivered.set(key, true);
    stats.delivered++;
    if (f.type === 'signal') return core.signals.emit(f.src, f.body);
    core.messages.emit({
      msgId: f.msgId,
      from: f.src,
      kind: 'direct',
      body: f.body,
      hops: f.hops + 1,
    });
  }

  /** The verifier contract is "false, never throw"; a broken one is counted, not trusted. */
  private verify(pk: Uint8Array, sig: Uint8Array, data: Uint8Array): Promise<boolean> {
    return this.core.cfg.verify(pk, sig, data).catch(() => {
      countDrop(this.core.stats, 'verify-error');
      return false;
    });
  }

  async onBroadcast(s: LinkSession, f: BroadcastFrame): Promise<void> {
    const { core } = this;
    const { stats } = core;
    const key = f.src + f.msgId;
    const iAmRelay = f.relays.includes(core.me);
    if (this.seen.has(key)) {
      const held = this.late.get(key);
      if (iAmRelay && held !== undefined) {
        this.late.delete(key);
        this.flood(held, s.peerId);
      }
      return countDrop(stats, 'duplicate');
    }
    if (this.pending.has(key)) {
      if (iAmRelay && this.pending.get(key) === undefined) this.pending.set(key, s.peerId);
      return countDrop(stats, 'duplicate');
    }
    const pk = core.keyOf(f.src);
    if (pk === undefined) return countDrop(stats, 'unknown-source');
    this.pending.set(key, iAmRelay ? s.peerId : undefined);
    stats.verifications++;
    const valid = await this.verify(pk, f.sig, signableBytes(f));
    const relayFrom = this.pending.get(key);
    this.pending.delete(key);
    if (!valid) return countDrop(stats, 'bad-signature');
    if (core.closed || this.seen.has(key)) return;
    this.seen.set(key, true);
    stats.delivered++;
    core.messages.emit({
      msgId: f.msgId,
      from: f.src,
      kind: 'broadcast',
      body: f.body,
      hops: f.hops + 1,
    });
    if (relayFrom !== undefined) this.flood(f, relayFrom);
    else this.late.set(key, f);
  }

  private flood(f: BroadcastFrame, prev: string | undefined): void {
    const { core } = this;
    if (prev !== undefined && f.ttl <= 1) return countDrop(core.stats, 'ttl-expired');
    const plan = planFlood(core.me, core.neighbourIds(), prev, core.lsdb);
    if (plan.targets.length === 0) return;
    const bytes = encodeFrame({
      ...f,
      ttl: prev === undefined ? f.ttl : f.ttl - 1,
      hops: prev === undefined ? 0 : Math.min(255, f.hops + 1),
      relays: plan.relays,
    });
    for (const t of plan.targets) {
      if (core.session(t)?.send(bytes)) core.stats.broadcastSends++;
    }
  }
}
