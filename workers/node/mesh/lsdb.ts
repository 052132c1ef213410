/**
 * The link-state database: the newest ACCEPTED (signature-checked) advert per origin. Freshness
 * checks come before any crypto, so a duplicate or stale advert costs a Map read, not a verify.
 */
import type { AdvertFrame } from '../../../src/protocol/frame.ts';
import { shareAdvert } from './advert-share.ts';

export interface LsEntry {
  frame: AdvertFrame;
  receivedAt: number;
  /** receivedAt + (lifetime − age at receipt): when the origin's vouching runs out. */
  expiresAt: number;
  peers: Map<string, number>;
  /** Whether we re-flooded this seq (a later copy naming us as relay may still make us do it). */
  forwarded: boolean;
  /** Cached twoWay(origin); dropped whenever this origin's or a peer's link set changes. */
  twoWay?: string[];
}

export type Freshness = 'new' | 'duplicate' | 'stale' | 'in-flight';

export class LinkStateDb {
  readonly entries = new Map<string, LsEntry>();
  /** `origin:seq` pairs whose signature is being checked: a second copy waits for the first. */
  private readonly inFlight = new Set<string>();
  /** Bumped on every accept/expire, so callers can tell whether derived data is outdated. */
  version = 0;
  /** Bumped only when some origin's SET of links changes (not on refreshes or cost changes). */
  topoVersion = 0;

  freshness(origin: string, seq: number): Freshness {
    const cur = this.entries.get(origin);
    if (cur && seq === cur.frame.seq) return 'duplicate';
    if (cur && seq < cur.frame.seq) return 'stale';
    return this.inFlight.has(`${origin}:${seq}`) ? 'in-flight' : 'new';
  }

  beginVerify(origin: string, seq: number): void {
    this.inFlight.add(`${origin}:${seq}`);
  }
  endVerify(origin: string, seq: number): void {
    this.inFlight.delete(`${origin}:${seq}`);
  }

  /** Stores an advert already verified; false if a newer one was accepted meanwhile. */
  accept(advert: AdvertFrame, now: number): boolean {
    const cur = this.entries.get(advert.origin);
    if (cur && cur.frame.seq >= advert.seq) return false;
    const shared = shareAdvert(advert);
    const frame = shared.frame;
    const peers = shared.peers;
    const changed =
      !cur || cur.peers.size !== peers.size || [...peers.keys()].some((p) => !cur.peers.has(p));
    const remainingMs = Math.max(0, frame.lifetimeS - frame.ageS) * 1000;
    const entry: LsEntry = {
      frame,
      receivedAt: now,
      expiresAt: now + remainingMs,
      peers,
      forwarded: false,
    };
    if (!changed && cur?.twoWay) entry.twoWay = cur.twoWay;
    this.entries.set(frame.origin, entry);
    if (changed) {
      this.topoVersion++;
      for (const p of peers.keys()) this.invalidate(p);
      if (cur) for (const p of cur.peers.keys()) this.invalidate(p);
    }
    this.version++;
    return true;
  }

  private invalidate(origin: string): void {
    const e = this.entries.get(origin);
    if (e) e.twoWay = undefined;
  }

  /** Peers of `origin` whose adverts list it back (the links routing uses), cached. */
  twoWay(origin: string): string[] {
    const e = this.entries.get(origin);
    if (!e) return [];
    if (e.twoWay) return e.twoWay;
    const out: string[] = [];
    for (const p of e.peers.keys()) if (this.entries.get(p)?.peers.has(origin)) out.push(p);
    return (e.twoWay = out);
  }

  /** Drops adverts whose origin stopped refreshing them; returns the expired origins. */
  expire(now: number, keep?: string): string[] {
    const gone: string[] = [];
    for (const [origin, e] of this.entries) {
      if (origin !== keep && e.expiresAt <= now) gone.push(origin);
    }
    for (const o of gone) {
      for (const p of this.entries.get(o)!.peers.keys()) this.invalidate(p);
      this.entries.delete(o);
    }
    if (gone.length) {
      this.version++;
      this.topoVersion++;
    }
    return gone;
  }

  get(origin: string): LsEntry | undefined {
    return this.entries.get(origin);
  }

  peersOf(origin: string): Map<string, number> | undefined {
    return this.entries.get(origin)?.peers;
  }

  /** The two-way check: both ends advertise the link (a one-sided or stale claim is no link). */
  linked(a: string, b: string): boolean {
    return (this.peersOf(a)?.has(b) ?? false) && (this.peersOf(b)?.has(a) ?? false);
  }

  /** Seconds an advert has aged, as it should be written when we pass it on now. */
  ageNow(e: LsEntry, now: number): number {
    return Math.min(65535, e.frame.ageS + Math.floor((now - e.receivedAt) / 1000));
  }
}
