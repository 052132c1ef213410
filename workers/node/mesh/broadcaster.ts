/**
 * Broadcasts. Verified at every node, because every node is a destination (and a forged copy
 * must not be marked seen ahead of the genuine one). Where to relay is relaying.ts's decision.
 */
import { encodeFrame, type BroadcastFrame } from '../../../src/protocol/frame.ts';
import { signableBytes, signBroadcast } from '../../../src/protocol/frame-signing.ts';
import type { MeshCore } from './core.ts';
import { BroadcastRepair } from './broadcast-repair.ts';
import type { CopyFrom } from './relaying.ts';
import type { LinkSession } from './session.ts';
import { BoundedMap, countDrop } from './util.ts';

const SEEN_CAP = 16_384;
/** Frames kept for a late relay duty (a selector's copy arriving after a non-selector's). */
const LATE_CAP = 256;

type Prev = CopyFrom;

export class Broadcaster {
  private readonly seen = new BoundedMap<string, true>(SEEN_CAP);
  private readonly late = new BoundedMap<string, BroadcastFrame>(LATE_CAP);
  /** Broadcasts being verified → the copy that named us relay (else the first copy). */
  private readonly pending = new Map<string, Prev>();

  readonly repair: BroadcastRepair;

  constructor(private readonly core: MeshCore) {
    this.repair = new BroadcastRepair(core, (key) => this.seen.has(key) || this.pending.has(key));
  }

  broadcast(body: Uint8Array): { msgId: string } {
    const { core } = this;
    const msgId = core.cfg.newMsgId();
    this.seen.set(core.me + msgId, true);
    const unsigned = { ttl: core.cfg.hopLimit, hops: 0, msgId, relays: [], body };
    void signBroadcast(core.cfg.identity, unsigned).then((f) => this.relay(f, undefined));
    return { msgId };
  }

  async onBroadcast(s: LinkSession, f: BroadcastFrame): Promise<void> {
    const { core } = this;
    const { stats } = core;
    const key = f.src + f.msgId;
    const named = f.relays.includes(core.me);
    const prev: Prev = { from: s.peerId, relays: f.relays, named };
    if (this.seen.has(key)) {
      const held = this.late.get(key);
      if (named && held !== undefined) {
        this.late.delete(key);
        this.relay(held, prev);
      }
      return countDrop(stats, 'duplicate');
    }
    const waiting = this.pending.get(key);
    if (waiting !== undefined) {
      if (named && !waiting.named) this.pending.set(key, prev);
      return countDrop(stats, 'duplicate');
    }
    const pk = core.keyOf(f.src);
    if (pk === undefined) return countDrop(stats, 'unknown-source');
    this.pending.set(key, prev);
    stats.verifications++;
    const valid = await core.forwarder.verify(pk, f.sig, signableBytes(f));
    const first = this.pending.get(key)!;
    this.pending.delete(key);
    if (!valid) return countDrop(stats, 'bad-signature');
    if (core.closed || this.seen.has(key)) return;
    this.seen.set(key, true);
    stats.delivered++;
    const m = {
      msgId: f.msgId,
      from: f.src,
      kind: 'broadcast' as const,
      body: f.body,
      hops: f.hops + 1,
    };
    core.messages.emit(m);
    this.repair.remember(f, [s.peerId, first.from]);
    this.relay(f, first);
  }

  private relay(f: BroadcastFrame, prev: Prev | undefined): void {
    const { core } = this;
    if (prev !== undefined && f.ttl <= 1) return countDrop(core.stats, 'ttl-expired');
    const plan = core.relaying.plan(f.src, prev);
    if (plan === undefined) {
      this.late.set(f.src + f.msgId, f);
      if (prev === undefined) this.repair.remember(f, []);
      return;
    }
    const { targets, relays } = plan;
    if (targets.length === 0) {
      if (prev === undefined) this.repair.remember(f, []);
      return;
    }
    const bytes = encodeFrame({
      ...f,
      ttl: prev === undefined ? f.ttl : f.ttl - 1,
      hops: prev === undefined ? 0 : Math.min(255, f.hops + 1),
      relays: relays.slice(0, 64),
    });
    for (const t of targets) {
      if (core.session(t)?.send(bytes)) core.stats.broadcastSends++;
    }
    if (prev === undefined) this.repair.remember(f, targets);
    else this.repair.markHas(f.src + f.msgId, targets);
  }
}
