/**
 * The node's shared state and the glue between sessions (links), the advert plane (link state,
 * routes), the forwarder (data, signals, broadcasts) and the topology controller.
 */
import type { MeshError } from '../../../src/protocol/errors.ts';
import type { Frame } from '../../../src/protocol/frame.ts';
import type { Link } from '../../../src/protocol/link.ts';
import { PeerGraph } from '../routing/graph.ts';
import { RouteTable } from '../routing/route-table.ts';
import { DijkstraWorkspace } from '../routing/dijkstra.ts';
import { AdvertPlane } from './adverts.ts';
import type { MeshConfig } from './config.ts';
import { Broadcaster } from './broadcaster.ts';
import { Forwarder } from './forwarding.ts';
import { LinkStateDb } from './lsdb.ts';
import { MprCache, planFlood, type FloodPlan } from './relays.ts';
import { Relaying } from './relaying.ts';
import { LinkSession, type SessionHost } from './session.ts';
import { TopologyControl } from './topology.ts';
import type { MeshMessage, PeerView, TimerHandle } from './types.ts';
import { countDrop, Listeners, newStats } from './util.ts';

export class MeshCore implements SessionHost {
  readonly stats = newStats();
  readonly me: string;
  /** Proven neighbours by peer id (one session per peer; duplicates are closed). */
  readonly sessions = new Map<string, LinkSession>();
  readonly handshaking = new Set<LinkSession>();
  readonly lsdb = new LinkStateDb();
  /** Every peer ever heard of, with its display name: a peer that left stays listed. */
  readonly names = new Map<string, string>();
  readonly messages = new Listeners<[MeshMessage]>();
  readonly peersChanged = new Listeners<[PeerView[]]>();
  readonly wantLink = new Listeners<[string]>();
  readonly signals = new Listeners<[string, Uint8Array]>();
  readonly adverts: AdvertPlane;
  readonly forwarder: Forwarder;
  readonly broadcaster: Broadcaster;
  readonly relaying: Relaying;
  readonly topology: TopologyControl;
  closed = false;
  private neighbourList: string[] | undefined;
  private table: RouteTable;
  private tableVersion = '';
  /** Bumped on every neighbour change: our own links enter routing live, not via our advert. */
  private linkEpoch = 0;
  private routeTimer: TimerHandle | undefined;
  private readonly workspace = new DijkstraWorkspace();
  private lastPeersKey = '';
  private lastRecompute = -Infinity;
  private readonly mprs = new MprCache();
  private hold = 0;

  constructor(readonly cfg: MeshConfig) {
    this.me = cfg.identity.peerId;
    this.table = RouteTable.build(PeerGraph.fromAdverts([]), this.me);
    this.relaying = new Relaying(this);
    this.adverts = new AdvertPlane(this);
    this.forwarder = new Forwarder(this);
    this.broadcaster = new Broadcaster(this);
    this.topology = new TopologyControl(this);
  }

  addLink(link: Link): void {
    if (this.closed) {
      link.close('node closed');
      return;
    }
    const s = new LinkSession(link, this);
    // Refuse before the handshake: a browser flooded with offers must not sign for each of them.
    if (this.sessions.size + this.handshaking.size >= this.cfg.maxLinks + this.cfg.linkSlack) {
      countDrop(this.stats, 'link-refused');
      s.close('overCapacity', 'too many links');
      return;
    }
    this.handshaking.add(s);
    s.start();
  }

  neighbourIds(): string[] {
    return (this.neighbourList ??= [...this.sessions.keys()]);
  }

  session(peer: string): LinkSession | undefined {
    return this.sessions.get(peer);
  }

  /** The key that signs `peer`'s frames: from its link handshake or its accepted advert. */
  keyOf(peer: string): Uint8Array | undefined {
    return this.sessions.get(peer)?.publicKey ?? this.lsdb.get(peer)?.frame.publicKey;
  }

  sessionUp(s: LinkSession): void {
    this.handshaking.delete(s);
    const existing = this.sessions.get(s.peerId);
    if (existing) {
      // Both sides dialed: keep the link with the smaller key, which both ends compute alike.
      const loser = existing.linkKey < s.linkKey ? s : existing;
      countDrop(this.stats, 'duplicate-link');
      if (loser === s) return s.close('duplicate');
      this.sessions.delete(existing.peerId);
      existing.close('duplicate');
    }
    this.sessions.set(s.peerId, s);
    this.neighbourList = undefined;
    this.linkEpoch++;
    this.names.set(s.peerId, s.name || this.names.get(s.peerId) || '');
    this.adverts.linkUp(s);
    this.topology.linkUp(s.peerId);
    this.topologyChanged();
  }

  sessionDown(s: LinkSession, _error: MeshError): void {
    this.handshaking.delete(s);
    if (this.sessions.get(s.peerId) !== s) return;
    this.sessions.delete(s.peerId);
    this.neighbourList = undefined;
    this.linkEpoch++;
    this.adverts.linkDown();
    this.topology.linkDown(s.peerId);
    this.topologyChanged();
  }

  sessionFrame(s: LinkSession, f: Frame, raw: Uint8Array): void {
    if (this.closed) return;
    switch (f.type) {
      case 'advert':
        return this.guard(this.adverts.onAdvert(s, f));
      case 'summary':
        return this.adverts.onSummary(s, f.entries);
      case 'request':
        return this.adverts.onRequest(s, f.origins);
      case 'data':
      case 'signal':
        return this.guard(this.forwarder.onRouted(s, f, raw));
      case 'broadcast':
        return this.guard(this.broadcaster.onBroadcast(s, f));
      case 'ihave':
        return this.broadcaster.repair.onIhave(s, f.ids);
      case 'iwant':
        return this.broadcaster.repair.onIwant(s, f.ids);
      default:
        return s.malformedFrame('unexpected-frame');
    }
  }

  /** Async handlers must not leak rejections: a bug is counted and reported, the node goes on. */
  private guard(p: Promise<void>): void {
    p.catch((e: unknown) => {
      countDrop(this.stats, 'internal');
      queueMicrotask(() => {
        throw e;
      });
    });
  }

  /** Multipoint-relay plan for a copy that reached us from `prev` (undefined: ours). */
  floodPlan(prev: string | undefined): FloodPlan {
    const mprs = this.mprs.get(this.me, this.neighbourIds(), this.lsdb);
    return planFlood(this.neighbourIds(), prev, mprs, this.lsdb);
  }

  advertIsOld(origin: string, seq: number): 'stale' | 'duplicate' | undefined {
    const e = this.lsdb.get(origin);
    if (e === undefined) return undefined;
    if (seq < e.frame.seq) return 'stale';
    return seq === e.frame.seq && e.forwarded ? 'duplicate' : undefined;
  }

  sessionCostChanged(): void {
    this.adverts.schedule();
  }

  /** The forwarding table; may lag the database by up to routeHoldMaxMs while adverts pour in. */
  forwardingTable(): RouteTable {
    return this.table;
  }

  /** An up-to-date table, for API calls (a caller asking now deserves the newest answer). */
  currentTable(): RouteTable {
    if (this.tableVersion !== this.stateVersion()) this.recompute();
    return this.table;
  }

  private stateVersion(): string {
    return `${this.lsdb.version}/${this.linkEpoch}`;
  }

  /**
   * Schedules a recompute with SPF-style throttling (as OSPF does): the first change after a
   * quiet spell waits routeDebounceMs; while changes keep coming, the wait doubles up to
   * routeHoldMaxMs, so a storm of adverts (a flash crowd, a partition healing) costs a handful
   * of Dijkstra runs per node instead of one per advert. Forwarding falls back to a fresh table
   * when the held one points at a link that is down (forwarding.ts), so holding costs stretch,
   * not loss.
   */
  topologyChanged(): void {
    if (this.routeTimer !== undefined || this.closed) return;
    const { clock, routeDebounceMs, routeHoldMaxMs } = this.cfg;
    const now = clock.now();
    const quiet = now - this.lastRecompute > 2 * this.hold;
    this.hold = quiet
      ? routeDebounceMs
      : Math.min(routeHoldMaxMs, Math.max(routeDebounceMs, this.hold * 2));
    const wait = Math.max(routeDebounceMs, this.lastRecompute + this.hold - now);
    this.routeTimer = clock.setTimeout(() => {
      this.routeTimer = undefined;
      if (this.closed) return;
      if (this.tableVersion !== this.stateVersion()) this.recompute();
      this.notifyPeers();
    }, wait);
  }

  /**
   * Our own links come from the live sessions, not from our last advert: a link that just went
   * down must stop carrying traffic now, not after the next advert is signed.
   */
  private recompute(): void {
    const adverts: { origin: string; links: { peer: string; cost: number }[] }[] = [];
    for (const e of this.lsdb.entries.values())
      if (e.frame.origin !== this.me) adverts.push(e.frame);
    const own = [...this.sessions.values()].map((s) => ({ peer: s.peerId, cost: s.cost() }));
    adverts.push({ origin: this.me, links: own });
    this.table = RouteTable.build(PeerGraph.fromAdverts(adverts), this.me, this.workspace);
    this.tableVersion = this.stateVersion();
    this.lastRecompute = this.cfg.clock.now();
    this.stats.routeRecomputes++;
  }

  peers(): PeerView[] {
    const t = this.currentTable();
    const out: PeerView[] = [];
    for (const [peerId, name] of this.names) {
      if (peerId === this.me) continue;
      const s = this.sessions.get(peerId);
      const hops = s ? 1 : (t.hops(peerId) ?? 0);
      const nextHop = t.nextHop(peerId) ?? (s ? peerId : undefined);
      const view: PeerView = { peerId, name, hops, reachable: hops > 0 };
      if (s) view.rttMs = Math.round(s.rttMs * 100) / 100;
      if (nextHop !== undefined) view.nextHop = nextHop;
      out.push(view);
    }
    return out;
  }

  private notifyPeers(): void {
    if (this.peersChanged.size === 0) return;
    const list = this.peers();
    const key = list.map((p) => `${p.peerId}:${p.hops}:${p.name}`).join(',');
    if (key === this.lastPeersKey) return;
    this.lastPeersKey = key;
    this.peersChanged.emit(list);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.routeTimer !== undefined) this.cfg.clock.clearTimeout(this.routeTimer);
    this.adverts.stop();
    this.topology.stop();
    this.broadcaster.repair.stop();
    for (const s of [...this.sessions.values(), ...this.handshaking]) s.close('shutdown');
    for (const l of [this.messages, this.peersChanged, this.wantLink, this.signals]) l.clear();
  }
}
