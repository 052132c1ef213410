/**
 * Broadcast relaying over a source-rooted tree derived from link state.
 *
 * Every node holds the same link-state picture (modulo adverts in flight), so every node can
 * compute the same breadth-first tree rooted at a broadcast's source: a node's parent is its
 * smallest-id neighbour one hop closer to the source. A node forwards only to its own children,
 * so with agreeing databases each node receives exactly one copy (n − 1 link sends). This is
 * relay selection in the MPR sense — only selected nodes re-forward, chosen from link state — taken
 * to its limit: the relay set is a connected dominating set shaped as a tree.
 *
 * Where pictures disagree (a link changed and its adverts are still in flight) a node may be
 * orphaned for that window; relays.ts's multipoint-relay plan is the fallback whenever the
 * source or we are not in our picture, and neighbours our picture does not show as two-way
 * (fresh links) always get a copy.
 */
import type { PeerGraph } from '../routing/graph.ts';

export class BroadcastTrees {
  private graph: PeerGraph | undefined;
  private dist = new Int32Array(0);
  private queue = new Int32Array(0);
  private readonly cache = new Map<string, string[] | undefined>();

  /** Our children in the tree rooted at `source`; undefined when either is not in the graph. */
  children(graph: PeerGraph, source: string, self: string): string[] | undefined {
    if (graph !== this.graph) {
      this.graph = graph;
      this.cache.clear();
      if (this.dist.length < graph.size) {
        this.dist = new Int32Array(graph.size);
        this.queue = new Int32Array(graph.size);
      }
    }
    if (this.cache.has(source)) return this.cache.get(source);
    const out = this.compute(graph, source, self);
    if (this.cache.size > 256) this.cache.clear();
    this.cache.set(source, out);
    return out;
  }

  private compute(g: PeerGraph, source: string, self: string): string[] | undefined {
    const s = g.indexOf(source);
    const me = g.indexOf(self);
    if (s < 0 || me < 0) return undefined;
    const { offsets, targets } = g;
    const dist = this.dist.fill(-1, 0, g.size);
    const q = this.queue;
    let head = 0;
    let tail = 0;
    dist[s] = 0;
    q[tail++] = s;
    while (head < tail) {
      const u = q[head++]!;
      if (dist[u]! > dist[me]! && dist[me]! >= 0) break; // levels beyond ours do not matter
      for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
        const v = targets[e]!;
        if (dist[v]! < 0) {
          dist[v] = dist[u]! + 1;
          q[tail++] = v;
        }
      }
    }
    const dm = dist[me]!;
    if (dm < 0) return undefined;
    const children: string[] = [];
    for (let e = offsets[me]!; e < offsets[me + 1]!; e++) {
      const v = targets[e]!;
      if (dist[v] !== dm + 1) continue;
      // parent(v) = smallest index (= smallest id, ids are sorted) neighbour at level dm
      let parent = -1;
      for (let f = offsets[v]!; f < offsets[v + 1]!; f++) {
        const w = targets[f]!;
        if (dist[w] === dm && (parent < 0 || w < parent)) parent = w;
      }
      if (parent === me) children.push(g.ids[v]!);
    }
    return children;
  }
}
