/**
 * Lazy repair of broadcasts, after Plumtree's lazy push: the tree (relaying.ts) pushes each
 * broadcast eagerly, and every `repairDigestMs` a node that received broadcasts tells each
 * neighbour not known to hold them which ones it has (`ihave`, a batched digest of ids). A
 * neighbour that missed one — because the tree was drawn from link-state pictures that
 * disagreed for a moment (links coming and going) — pulls it (`iwant`) and relays it along its
 * own tree, which re-covers whatever hung below it. In a stable mesh this costs a few small
 * digests per node per second of broadcast traffic and no payload; it is what makes coverage
 * hold through churn.
 */
import {
  encodeFrame,
  MAX_DIGEST_ENTRIES,
  type BroadcastFrame,
} from '../../../src/protocol/frame.ts';
import type { MeshCore } from './core.ts';
import type { LinkSession } from './session.ts';
import type { TimerHandle } from './types.ts';
import { BoundedMap } from './util.ts';

/** Broadcasts held for repair; older ones are beyond any digest a neighbour will still send. */
const RECENT_CAP = 1_024;
/** A pull is not repeated to another neighbour for this long. */
const WANT_HOLD_MS = 2_000;

interface Held {
  f: BroadcastFrame;
  /** Neighbours known to hold it (sent it to us, got it from us, or announced it). */
  has: Set<string>;
}

export class BroadcastRepair {
  private readonly recent = new BoundedMap<string, Held>(RECENT_CAP);
  private readonly wanted = new BoundedMap<string, number>(RECENT_CAP);
  private queue = new Set<string>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly core: MeshCore,
    private readonly known: (key: string) => boolean,
  ) {}

  remember(f: BroadcastFrame, has: Iterable<string>): void {
    const key = f.src + f.msgId;
    this.recent.set(key, { f, has: new Set(has) });
    this.queue.add(key);
    if (this.timer === undefined && !this.core.closed) {
      this.timer = this.core.cfg.clock.setTimeout(() => this.flush(), this.core.cfg.repairDigestMs);
    }
  }

  markHas(key: string, peers: Iterable<string>): void {
    const held = this.recent.get(key);
    if (held) for (const p of peers) held.has.add(p);
  }

  private flush(): void {
    this.timer = undefined;
    const { core } = this;
    if (core.closed) return;
    const keys = [...this.queue];
    this.queue = new Set();
    for (const n of core.neighbourIds()) {
      const ids: { src: string; msgId: string }[] = [];
      for (const k of keys) {
        const held = this.recent.get(k);
        if (!held || held.has.has(n) || held.f.src === n) continue;
        held.has.add(n);
        ids.push({ src: held.f.src, msgId: held.f.msgId });
      }
      for (let i = 0; i < ids.length; i += MAX_DIGEST_ENTRIES) {
        core.session(n)?.sendFrame({ type: 'ihave', ids: ids.slice(i, i + MAX_DIGEST_ENTRIES) });
      }
    }
  }

  onIhave(s: LinkSession, ids: { src: string; msgId: string }[]): void {
    const now = this.core.cfg.clock.now();
    const want: { src: string; msgId: string }[] = [];
    for (const id of ids) {
      const key = id.src + id.msgId;
      if (this.known(key)) {
        this.markHas(key, [s.peerId]);
        continue;
      }
      if (now - (this.wanted.get(key) ?? -Infinity) < WANT_HOLD_MS) continue;
      this.wanted.set(key, now);
      want.push(id);
    }
    if (want.length) s.sendFrame({ type: 'iwant', ids: want });
  }

  /** Sends the pulled broadcasts, naming the puller as relay so it re-covers its side. */
  onIwant(s: LinkSession, ids: { src: string; msgId: string }[]): void {
    const { core } = this;
    for (const id of ids) {
      const held = this.recent.get(id.src + id.msgId);
      if (!held || held.f.ttl <= 1) continue;
      held.has.add(s.peerId);
      const f = held.f;
      const bytes = encodeFrame({
        ...f,
        ttl: f.ttl - 1,
        hops: Math.min(255, f.hops + 1),
        relays: [s.peerId],
      });
      if (s.send(bytes)) {
        core.stats.broadcastSends++;
        core.stats.repairSends++;
      }
    }
  }

  stop(): void {
    if (this.timer !== undefined) this.core.cfg.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
