/**
 * Topology control: keeps this node between minLinks and maxLinks direct links, chosen so the
 * mesh stays connected, has a small diameter and survives any single node leaving.
 *
 * Every tick (topologyIntervalMs, jittered) the node may ask its host for ONE new link
 * (onWantLink) or close ONE link; one change per tick lets the adverts it causes settle before
 * the next decision, so thousands of nodes do not all react to the same picture at once.
 *
 * - Cut-vertex repair first: if a neighbour N is the only way to some peers, N's departure would
 *   partition the mesh. Every node around N sees that; only N's smallest-id neighbour acts (a
 *   deterministic election: one new link per cut vertex, not a stampede), linking to a
 *   neighbour of N on the other side (close to N, so the repair link is short).
 * - Under minLinks: half the time the cheapest peer two hops away (a short, low-RTT link that
 *   closes a triangle), otherwise a random peer among the farthest (a long link: small-world
 *   shortcuts keep the diameter logarithmic). Peers at capacity are skipped.
 * - Over maxLinks: the link whose end stays closest without it (a triangle's third side) and
 *   whose end keeps more than minLinks is closed with bye 'redundant' — never a link whose
 *   removal disconnects the mesh, never a link younger than a few ticks.
 *
 * Who dials: the node only says which peer it wants. The host negotiates through the mesh
 * (sendSignal) and lets the LOWER peer id make the offer, so two peers wanting each other at
 * once still open a single connection; if two links do come up, the core keeps one on both
 * ends by the same rule (core.ts, duplicate links).
 */
import type { MeshCore } from './core.ts';
import { bfs, dependents, neighboursOf } from './graph-search.ts';
import type { TimerHandle } from './types.ts';

/** A want that did not turn into a link within this many ticks is given up. */
const WANT_TICKS = 5;
/** A peer whose want expired is not asked for again for this many ticks. */
const BACKOFF_TICKS = 20;
/** Links younger than this many ticks are never pruned (let them prove themselves first). */
const MIN_AGE_TICKS = 3;

export class TopologyControl {
  private timer: TimerHandle | undefined;
  private readonly wanted = new Map<string, number>();
  private readonly backoff = new Map<string, number>();
  private readonly linkedAt = new Map<string, number>();
  private ticks = 0;
  private stopped = false;

  constructor(private readonly core: MeshCore) {
    if (core.cfg.topologyControl) this.schedule();
  }

  linkUp(peer: string): void {
    this.wanted.delete(peer);
    this.backoff.delete(peer);
    this.linkedAt.set(peer, this.ticks);
  }

  linkDown(peer: string): void {
    this.linkedAt.delete(peer);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.core.cfg.clock.clearTimeout(this.timer);
  }

  private schedule(): void {
    const { cfg } = this.core;
    this.timer = cfg.clock.setTimeout(
      () => {
        if (this.stopped || this.core.closed) return;
        this.tick();
        this.schedule();
      },
      cfg.topologyIntervalMs * (0.75 + cfg.random() * 0.5),
    );
  }

  /** One decision; public so tests can step it. */
  tick(): void {
    this.ticks++;
    for (const [p, t] of this.wanted) {
      if (this.ticks - t < WANT_TICKS) continue;
      this.wanted.delete(p);
      this.backoff.set(p, this.ticks);
    }
    for (const [p, t] of this.backoff) if (this.ticks - t >= BACKOFF_TICKS) this.backoff.delete(p);
    const { cfg, sessions } = this.core;
    const degree = sessions.size;
    // Pruning is the one decision that can partition the mesh if two nodes make it at once on
    // the same cycle (each counting on the link the other removes); a coin flip per tick makes
    // overlapping decisions rare, and heal() mends the rare partition.
    if (degree > cfg.maxLinks) {
      if (cfg.random() < 0.5 && this.prune()) return;
      // Nothing could be pruned safely (often because a neighbour is a cut vertex): repairing
      // the cut is what makes a prune possible later, so an over-full node must still do it.
      if (degree + this.wanted.size < cfg.maxLinks + cfg.linkSlack) this.repairCut();
      return;
    }
    const room = degree + this.wanted.size < cfg.maxLinks + cfg.linkSlack;
    if (room && (this.repairCut() || this.heal())) return;
    if (degree + this.wanted.size < cfg.minLinks) this.grow();
  }

  /**
   * Partition healing: peers whose adverts are still live but who are unreachable are on the
   * other side of a split. Our component's smallest id asks for a link to one of them (the host
   * has no mesh route for it and uses the signaling server, if there still is one).
   */
  private heal(): boolean {
    const { core } = this;
    const t = core.forwardingTable();
    const reachable = new Set(t.reachable());
    for (const id of reachable) if (id < core.me) return false;
    const now = core.cfg.clock.now();
    const away: string[] = [];
    for (const [origin, e] of core.lsdb.entries) {
      if (origin === core.me || reachable.has(origin) || e.expiresAt <= now) continue;
      // A live advert naming live-looking links: the origin is probably still out there.
      if (e.peers.size > 0 && this.candidate(origin)) away.push(origin);
    }
    if (away.length === 0) return false;
    this.want(away[Math.floor(core.cfg.random() * away.length)]!);
    return true;
  }

  private want(peer: string): void {
    this.wanted.set(peer, this.ticks);
    this.core.wantLink.emit(peer);
  }

  /** `id` may be asked for a link: not us, not linked, not pending, and with room (or slack). */
  private candidate(id: string, useSlack = false): boolean {
    const { core } = this;
    if (id === core.me || core.sessions.has(id) || this.wanted.has(id) || this.backoff.has(id))
      return false;
    const deg = core.lsdb.peersOf(id)?.size ?? 0;
    return deg < core.cfg.maxLinks + (useSlack ? core.cfg.linkSlack : 0);
  }

  private repairCut(): boolean {
    const g = this.core.forwardingTable().graph;
    const me = g.indexOf(this.core.me);
    if (me < 0) return false;
    for (const [n, cut] of dependents(g, me)) {
      const around = neighboursOf(g, n);
      if (Math.min(...around) !== me) continue; // N's smallest-id neighbour repairs
      const other = new Set(cut);
      const options = around.filter((v) => other.has(v)).map((v) => g.ids[v]!);
      const far = cut.map((v) => g.ids[v]!);
      // With room first; else with slack (tight bounds: everyone is full, and a cut vertex left
      // alone is worse than a node briefly over maxLinks, which prunes once the cut is gone).
      const pick =
        options.find((id) => this.candidate(id)) ??
        far.find((id) => this.candidate(id)) ??
        options.find((id) => this.candidate(id, true)) ??
        far.find((id) => this.candidate(id, true));
      if (pick !== undefined) {
        this.want(pick);
        return true;
      }
    }
    return false;
  }

  private grow(): void {
    const { core } = this;
    const t = core.forwardingTable();
    let reachable = t.reachable().filter((id) => this.candidate(id));
    // Everyone has maxLinks already (tight bounds): ask one with slack to spare; it takes the
    // link and prunes one of its redundant ones, instead of leaving us under minLinks for good.
    if (reachable.length === 0) reachable = t.reachable().filter((id) => this.candidate(id, true));
    if (reachable.length === 0) {
      // Nothing routable (a lone node): any peer we have heard of; the host may use the server.
      const known = [...core.names.keys()].filter((id) => this.candidate(id));
      if (known.length) this.want(known[Math.floor(core.cfg.random() * known.length)]!);
      return;
    }
    const near = reachable.filter((id) => t.hops(id) === 2);
    if (near.length > 0 && core.cfg.random() < 0.5) {
      near.sort((a, b) => t.cost(a)! - t.cost(b)! || (a < b ? -1 : 1));
      return this.want(near[0]!);
    }
    let far = 0;
    for (const id of reachable) far = Math.max(far, t.hops(id)!);
    const farthest = reachable.filter((id) => t.hops(id)! >= Math.max(2, far - 1));
    this.want(farthest[Math.floor(core.cfg.random() * farthest.length)]!);
  }

  /**
   * Closes one redundant link. Preferred: a neighbour that has links to spare (more than
   * minLinks). When none has (tight bounds, e.g. minLinks = maxLinks), a neighbour at exactly
   * minLinks is next best: it dips below its minimum and grows a new link to someone with room,
   * whereas keeping every link leaves this node over maxLinks for good (a deadlock the
   * minLinks = maxLinks = 2 simulation test showed). Never a bridge, never one that leaves a
   * neighbour a cut vertex.
   */
  private prune(): boolean {
    const { core } = this;
    const g = core.forwardingTable().graph;
    const me = g.indexOf(core.me);
    if (me < 0) return false;
    let best: { id: string; spare: boolean; alt: number; cost: number } | undefined;
    for (const n of neighboursOf(g, me)) {
      const id = g.ids[n]!;
      const s = core.sessions.get(id);
      if (!s || this.ticks - (this.linkedAt.get(id) ?? 0) < MIN_AGE_TICKS) continue;
      const theirs = core.lsdb.peersOf(id)?.size ?? 0;
      if (theirs < core.cfg.minLinks) continue;
      const spare = theirs > core.cfg.minLinks;
      const alt = bfs(g, me, -1, me, n)[n]!;
      if (alt < 0) continue; // a bridge: removing it would partition the mesh
      if (dependents(g, me, me, n).size > 0) continue; // it would leave a neighbour a cut vertex
      const cost = s.cost();
      const better =
        !best ||
        (spare && !best.spare) ||
        (spare === best.spare && (alt < best.alt || (alt === best.alt && cost > best.cost)));
      if (better) best = { id, spare, alt, cost };
    }
    if (best) core.sessions.get(best.id)!.close('redundant');
    return best !== undefined;
  }
}
