/**
 * The advert plane: originating our signed link-state advert, accepting others' (dedupe by
 * (origin, seq) BEFORE verifying, since a verify costs ~0.16 ms and every advert arrives several
 * times), re-flooding through multipoint relays, ageing out, and the database sync that runs when
 * a link comes up (summary → request → adverts), so a new neighbour learns the mesh at once
 * rather than at the next refresh.
 */
import {
  encodeFrame,
  MAX_RELAYS,
  MAX_SUMMARY_ENTRIES,
  type AdvertFrame,
} from '../../../src/protocol/frame.ts';
import { signableBytes, signAdvert } from '../../../src/protocol/frame-signing.ts';
import { equalBytes } from '../../../src/protocol/bytes.ts';
import { peerIdOfKey } from './keyid.ts';
import type { MeshCore } from './core.ts';
import type { LsEntry } from './lsdb.ts';
import type { CopyFrom } from './relaying.ts';
import type { LinkSession } from './session.ts';
import type { TimerHandle } from './types.ts';
import { countDrop } from './util.ts';

const HOUSEKEEPING_MS = 5_000;

export class AdvertPlane {
  private seq: number;
  private debounce: TimerHandle | undefined;
  private housekeeping: TimerHandle | undefined;
  private signing = false;
  private again = false;
  private lastOriginated = -Infinity;
  private hold = 0;
  private lastSync = 0;
  /** Copies that named us relay while the first copy of that (origin, seq) was being verified. */
  private readonly relayWhileVerifying = new Map<string, CopyFrom>();
  private stopped = false;

  constructor(private readonly core: MeshCore) {
    // Seconds since the epoch: a restarted node outranks adverts of its previous run (and the
    // reflection rule in onAdvert covers clocks that went backwards).
    this.seq = Math.floor(core.cfg.clock.now() / 1000) >>> 0;
    this.tick();
  }

  /** A neighbour came up: tell it what we hold and advertise the new link soon. */
  linkUp(s: LinkSession): void {
    this.sendSummary(s);
    this.schedule();
  }

  private sendSummary(s: LinkSession): void {
    const entries = [...this.core.lsdb.entries.values()].map((e) => ({
      origin: e.frame.origin,
      seq: e.frame.seq,
    }));
    for (let i = 0; i < entries.length; i += MAX_SUMMARY_ENTRIES) {
      s.sendFrame({ type: 'summary', entries: entries.slice(i, i + MAX_SUMMARY_ENTRIES) });
    }
  }

  linkDown(): void {
    this.schedule();
  }

  /**
   * Re-advertise soon. The first change after a quiet spell goes out after advertDebounceMs;
   * while changes keep coming the hold doubles up to advertHoldMaxMs (like OSPF's
   * MinLSInterval), so a node whose links churn during a flash crowd floods a few adverts
   * rather than one per link. Our own routing uses live links meanwhile (core.ts).
   */
  schedule(): void {
    if (this.stopped || this.debounce !== undefined) return;
    const { clock, advertDebounceMs, advertHoldMaxMs } = this.core.cfg;
    const now = clock.now();
    const quiet = now - this.lastOriginated > 2 * this.hold;
    this.hold = quiet
      ? advertDebounceMs
      : Math.min(advertHoldMaxMs, Math.max(advertDebounceMs, this.hold * 2));
    const wait = Math.max(advertDebounceMs, this.lastOriginated + this.hold - now);
    this.debounce = clock.setTimeout(() => {
      this.debounce = undefined;
      void this.originate();
    }, wait);
  }

  async originate(): Promise<void> {
    if (this.stopped) return;
    if (this.signing) {
      this.again = true;
      return;
    }
    const { core } = this;
    const { cfg } = core;
    this.signing = true;
    const sessions = [...core.sessions.values()];
    const frame = await signAdvert(cfg.identity, {
      ttl: cfg.hopLimit,
      hops: 0,
      seq: (this.seq = (this.seq + 1) >>> 0),
      lifetimeS: cfg.advertLifetimeS,
      ageS: 0,
      name: cfg.name,
      links: sessions.map((s) => ({ peer: s.peerId, cost: s.cost() })),
      relays: [],
    });
    this.signing = false;
    if (this.stopped) return;
    for (const s of sessions) s.markAdvertised();
    this.lastOriginated = cfg.clock.now();
    core.lsdb.accept(frame, this.lastOriginated);
    core.names.set(core.me, cfg.name);
    this.flood(core.lsdb.get(core.me)!, undefined);
    core.topologyChanged();
    if (this.again) {
      this.again = false;
      this.schedule();
    }
  }

  async onAdvert(s: LinkSession, f: AdvertFrame): Promise<void> {
    const { core } = this;
    const { lsdb, stats, cfg } = core;
    if (f.origin === core.me) {
      // Our own advert from a previous run (or a replay): outrank it with the next one.
      if (f.seq > this.seq) {
        this.seq = f.seq;
        this.schedule();
      }
      return countDrop(stats, 'own-advert');
    }
    const key = `${f.origin}:${f.seq}`;
    const iAmRelay = f.relays.includes(core.me);
    switch (lsdb.freshness(f.origin, f.seq)) {
      case 'duplicate': {
        const e = lsdb.get(f.origin)!;
        if (iAmRelay && !e.forwarded)
          this.flood(e, { from: s.peerId, relays: f.relays, named: true });
        return countDrop(stats, 'duplicate-advert');
      }
      case 'stale':
        return countDrop(stats, 'stale-advert');
      case 'in-flight':
        if (iAmRelay && !this.relayWhileVerifying.has(key))
          this.relayWhileVerifying.set(key, { from: s.peerId, relays: f.relays, named: true });
        return countDrop(stats, 'duplicate-advert');
      case 'new':
        break;
    }
    if (f.ageS >= f.lifetimeS) return countDrop(stats, 'expired-advert');
    lsdb.beginVerify(f.origin, f.seq);
    let valid = false;
    try {
      const known = lsdb.get(f.origin)?.frame.publicKey;
      const keyOk =
        known !== undefined && equalBytes(known, f.publicKey)
          ? true
          : (await peerIdOfKey(f.publicKey)) === f.origin;
      stats.verifications++;
      valid = keyOk && (await cfg.verify(f.publicKey, f.sig, signableBytes(f)));
    } finally {
      lsdb.endVerify(f.origin, f.seq);
    }
    const copy: CopyFrom = iAmRelay
      ? { from: s.peerId, relays: f.relays, named: true }
      : (this.relayWhileVerifying.get(key) ?? { from: s.peerId, relays: f.relays, named: false });
    this.relayWhileVerifying.delete(key);
    if (this.stopped) return;
    if (!valid) return countDrop(stats, 'bad-signature');
    if (!lsdb.accept(f, cfg.clock.now())) return countDrop(stats, 'stale-advert');
    stats.advertsAccepted++;
    core.names.set(f.origin, f.name);
    this.flood(lsdb.get(f.origin)!, copy);
    core.topologyChanged();
  }

  onSummary(s: LinkSession, entries: { origin: string; seq: number }[]): void {
    const { lsdb, me } = this.core;
    const want: string[] = [];
    for (const e of entries) {
      if (e.origin === me) {
        if (e.seq > this.seq) {
          this.seq = e.seq;
          this.schedule();
        }
        continue;
      }
      const mine = lsdb.get(e.origin);
      if (!mine || mine.frame.seq < e.seq) want.push(e.origin);
    }
    if (want.length) s.sendFrame({ type: 'request', origins: want });
  }

  /** Answers a pull with our copies; naming the requester as relay lets it flood them onward. */
  onRequest(s: LinkSession, origins: string[]): void {
    const { lsdb, cfg } = this.core;
    const now = cfg.clock.now();
    for (const o of origins) {
      const e = lsdb.get(o);
      if (!e) continue;
      const copy = {
        ...e.frame,
        ttl: cfg.hopLimit,
        hops: 0,
        ageS: lsdb.ageNow(e, now),
        relays: [s.peerId],
      };
      s.sendFrame(copy);
    }
  }

  private flood(e: LsEntry, prev: CopyFrom | undefined): void {
    const { core } = this;
    const f = e.frame;
    if (prev !== undefined && f.ttl <= 1) return countDrop(core.stats, 'ttl-expired');
    const plan = core.relaying.plan(f.origin, prev, false);
    if (plan === undefined) return;
    if (!plan.partial) e.forwarded = true;
    if (plan.targets.length === 0) return;
    const bytes = encodeFrame({
      ...f,
      ttl: prev === undefined ? f.ttl : f.ttl - 1,
      hops: prev === undefined ? 0 : Math.min(255, f.hops + 1),
      ageS: core.lsdb.ageNow(e, core.cfg.clock.now()),
      relays: plan.relays.slice(0, MAX_RELAYS),
    });
    for (const t of plan.targets) core.session(t)?.send(bytes, true);
  }

  /** Refresh our advert before others age it out, and drop adverts whose origins went quiet. */
  private tick(): void {
    const { cfg } = this.core;
    this.housekeeping = cfg.clock.setTimeout(
      () => {
        if (this.stopped) return;
        const now = cfg.clock.now();
        if (this.core.lsdb.expire(now, this.core.me).length) this.core.topologyChanged();
        if (now - this.lastOriginated >= cfg.advertRefreshMs) void this.originate();
        if (now - this.lastSync >= cfg.syncIntervalMs) {
          this.lastSync = now;
          const ids = this.core.neighbourIds();
          const s = ids.length
            ? this.core.session(ids[Math.floor(cfg.random() * ids.length)]!)
            : undefined;
          if (s) this.sendSummary(s);
        }
        this.tick();
      },
      Math.min(HOUSEKEEPING_MS, cfg.advertRefreshMs, cfg.syncIntervalMs) *
        (0.8 + cfg.random() * 0.4),
    );
  }

  stop(): void {
    this.stopped = true;
    const { clock } = this.core.cfg;
    if (this.debounce !== undefined) clock.clearTimeout(this.debounce);
    if (this.housekeeping !== undefined) clock.clearTimeout(this.housekeeping);
  }
}
