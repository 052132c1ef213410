import { DijkstraWorkspace } from './dijkstra.ts';
import type { ShortestPathTree } from './dijkstra.ts';
import type { PeerGraph } from './graph.ts';

/** How to reach one destination from the table's source. */
export interface Route {
  readonly dest: string;
  /** The direct neighbour to hand the packet to. */
  readonly nextHop: string;
  readonly hops: number;
  readonly cost: number;
}

/**
 * An immutable snapshot of the source's shortest-path tree. Lookups by peer id are O(1) (one Map
 * read + array reads); `path` is O(hops). Keep a table while a newer one is computed: it shares
 * no memory with the workspace that built it.
 *
 * The source itself has hops 0, cost 0 and path [source], but no next hop and no `Route` (deliver
 * locally). A source missing from the graph (no advert yet) gets a table where nothing else is
 * reachable, so a node can build its table before its first advert without special-casing.
 */
export class RouteTable {
  private constructor(
    readonly graph: PeerGraph,
    readonly source: string,
    /** null when the source is not in the graph. */
    private readonly tree: ShortestPathTree | null,
  ) {}

  /**
   * Runs Dijkstra from `source`. Pass a long-lived `workspace` to reuse its heap buffers across
   * recomputes (the result arrays are always fresh, since the table is a snapshot).
   */
  static build(graph: PeerGraph, source: string, workspace?: DijkstraWorkspace): RouteTable {
    const s = graph.indexOf(source);
    if (s < 0) return new RouteTable(graph, source, null);
    const tree = (workspace ?? new DijkstraWorkspace(graph.size)).run(graph, s);
    return new RouteTable(graph, source, tree);
  }

  /** Dense index of a reachable destination, else -1. */
  private reach(dest: string): number {
    const tree = this.tree;
    if (tree === null) return -1;
    const v = this.graph.indexOf(dest);
    return v >= 0 && tree.hops[v]! >= 0 ? v : -1;
  }

  isReachable(dest: string): boolean {
    return dest === this.source || this.reach(dest) >= 0;
  }

  /** The neighbour to forward to; undefined for the source itself and unreachable peers. */
  nextHop(dest: string): string | undefined {
    const v = this.reach(dest);
    if (v < 0) return undefined;
    const f = this.tree!.firstHop[v]!;
    return f < 0 ? undefined : this.graph.ids[f];
  }

  /** Links on the route (1 = direct neighbour); undefined when unreachable. */
  hops(dest: string): number | undefined {
    if (dest === this.source) return 0;
    const v = this.reach(dest);
    return v < 0 ? undefined : this.tree!.hops[v];
  }

  /** Sum of link costs on the route; undefined when unreachable. */
  cost(dest: string): number | undefined {
    if (dest === this.source) return 0;
    const v = this.reach(dest);
    return v < 0 ? undefined : this.tree!.dist[v];
  }

  /** Peer ids from the source to `dest` inclusive; empty when unreachable. */
  path(dest: string): string[] {
    if (dest === this.source) return [this.source];
    let v = this.reach(dest);
    if (v < 0) return [];
    const pred = this.tree!.pred;
    const ids = this.graph.ids;
    const out: string[] = [];
    while (v >= 0) {
      out.push(ids[v]!);
      v = pred[v]!;
    }
    return out.reverse();
  }

  route(dest: string): Route | undefined {
    const v = this.reach(dest);
    if (v < 0) return undefined;
    const tree = this.tree!;
    const f = tree.firstHop[v]!;
    if (f < 0) return undefined;
    return { dest, nextHop: this.graph.ids[f]!, hops: tree.hops[v]!, cost: tree.dist[v]! };
  }

  /** Batch lookup, aligned with `dests` (undefined for the source and unreachable peers). */
  routes(dests: readonly string[]): Array<Route | undefined> {
    const out = new Array<Route | undefined>(dests.length);
    for (let i = 0; i < dests.length; i++) out[i] = this.route(dests[i]!);
    return out;
  }

  /**
   * Batch lookup grouped by next hop, so a sender (outbox flush, multi-recipient send) does one
   * pass per link. Unroutable destinations (and the source) are listed under `unreachable`.
   */
  groupByNextHop(dests: readonly string[]): {
    byNextHop: Map<string, string[]>;
    unreachable: string[];
  } {
    const byNextHop = new Map<string, string[]>();
    const unreachable: string[] = [];
    for (const dest of dests) {
      const hop = this.nextHop(dest);
      if (hop === undefined) {
        unreachable.push(dest);
        continue;
      }
      const list = byNextHop.get(hop);
      if (list === undefined) byNextHop.set(hop, [dest]);
      else list.push(dest);
    }
    return { byNextHop, unreachable };
  }

  /** Every reachable peer except the source, in ascending id order. */
  reachable(): string[] {
    const tree = this.tree;
    if (tree === null) return [];
    const out: string[] = [];
    const ids = this.graph.ids;
    for (let v = 0; v < ids.length; v++) {
      if (tree.hops[v]! > 0) out.push(ids[v]!);
    }
    return out;
  }

  /** Forwarding table `dest → next hop` for every reachable peer (for export and debugging). */
  nextHops(): Map<string, string> {
    const out = new Map<string, string>();
    const tree = this.tree;
    if (tree === null) return out;
    const ids = this.graph.ids;
    for (let v = 0; v < ids.length; v++) {
      const f = tree.firstHop[v]!;
      if (f >= 0) out.set(ids[v]!, ids[f]!);
    }
    return out;
  }
}
