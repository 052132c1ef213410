/**
 * Data plane, routed unicast (data, signal); broadcasts are broadcaster.ts.
 *
 * Unicast relays do NOT verify signatures: a relay only rewrites ttl/hops in a copy of the bytes
 * it received and hands them to the next hop from the table (O(1)). The destination verifies
 * before delivering, so a forgery costs relays bandwidth, never a false delivery; verifying at
 * every hop would multiply the dominant CPU cost by the path length.
 */
import { encodeFrame, type RoutedFrame } from '../../../src/protocol/frame.ts';
import { signableBytes, signRouted } from '../../../src/protocol/frame-signing.ts';
import type { MeshCore } from './core.ts';
import type { LinkSession } from './session.ts';
import { BoundedMap, countDrop } from './util.ts';

const SEEN_CAP = 16_384;

export class Forwarder {
  private readonly delivered = new BoundedMap<string, true>(SEEN_CAP);
  private readonly verifying = new Set<string>();

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
  verify(pk: Uint8Array, sig: Uint8Array, data: Uint8Array): Promise<boolean> {
    return this.core.cfg.verify(pk, sig, data).catch(() => {
      countDrop(this.core.stats, 'verify-error');
      return false;
    });
  }
}
