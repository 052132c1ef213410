import { MeshError } from '../../../src/protocol/errors.ts';
import type { PeerGraph } from './graph.ts';

/**
 * Single-source shortest paths over dense indices. For every node `v`:
 * `dist[v]` (Infinity when unreachable), `hops[v]` (-1 when unreachable, 0 at the source),
 * `pred[v]` and `firstHop[v]` (-1 at the source and when unreachable). `firstHop[v]` is the
 * source's neighbour a packet for `v` is handed to, so forwarding is one array read.
 */
export interface ShortestPathTree {
  readonly source: number;
  readonly dist: Float64Array;
  readonly hops: Int32Array;
  readonly pred: Int32Array;
  readonly firstHop: Int32Array;
}

/**
 * Reusable Dijkstra state: a binary heap with decrease-key over typed arrays (heap of node
 * indices + position index), grown only when a larger graph arrives, so a node recomputing on
 * every topology change allocates nothing on the steady path. O((V + E) log V). Measured at 10k
 * nodes / degree 8: a lazy-deletion heap was ~35% slower, a 4-ary heap no faster, and
 * relabelling nodes for locality gained nothing (the whole graph sits in cache).
 *
 * Route preference is lexicographic and therefore deterministic: lower cost, then fewer hops,
 * then the smaller first-hop index (= smaller peer id, ids are sorted), then the smaller
 * predecessor index. The heap is keyed on (cost, hops), not cost alone: with zero-cost links a
 * node's best predecessor can have the same cost, and keying on hops too guarantees every
 * candidate predecessor is settled first, so a settled node is never improved afterwards.
 */
export class DijkstraWorkspace {
  private heap: Int32Array;
  /** Key (cost) of each heap slot, kept beside it: sifting reads no per-node array. */
  private keys: Float64Array;
  private pos: Int32Array;

  constructor(capacity = 0) {
    this.heap = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.pos = new Int32Array(capacity);
  }

  /**
   * Runs from `source` (a dense index). Writes into `out` when given and big enough (reuse across
   * runs), otherwise into fresh arrays; the returned tree owns no workspace memory, so it stays
   * valid after later runs unless its arrays are passed back in as `out`.
   */
  run(graph: PeerGraph, source: number, out?: ShortestPathTree): ShortestPathTree {
    const n = graph.size;
    if (!(source >= 0 && source < n) || !Number.isInteger(source)) {
      throw new MeshError('internal', `source index ${source} outside graph of ${n}`);
    }
    if (this.heap.length < n) {
      this.heap = new Int32Array(n);
      this.keys = new Float64Array(n);
      this.pos = new Int32Array(n);
    }
    const tree = fitTree(out, n, source);
    const { dist, hops, pred, firstHop } = tree;
    dist.fill(Infinity, 0, n);
    hops.fill(-1, 0, n);
    pred.fill(-1, 0, n);
    firstHop.fill(-1, 0, n);
    const heap = this.heap;
    const keys = this.keys;
    const pos = this.pos;
    pos.fill(-1, 0, n);
    const offsets = graph.offsets;
    const targets = graph.targets;
    const costs = graph.costs;

    dist[source] = 0;
    hops[source] = 0;
    heap[0] = source;
    keys[0] = 0;
    pos[source] = 0;
    let size = 1;

    while (size > 0) {
      const u = heap[0]!;
      pos[u] = -1;
      size--;
      if (size > 0) {
        // Bottom-up pop: walk the hole to a leaf along smaller children (one compare per level),
        // then sift the last element up from there. It came from the bottom, so it rarely
        // rises far: ~5% faster than the textbook sift-down here. Hops are read only on equal
        // costs (rare).
        const x = heap[size]!;
        const dx = keys[size]!;
        const hx = hops[x]!;
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          let dc = keys[c]!;
          if (c + 1 < size) {
            const dr = keys[c + 1]!;
            if (dr < dc || (dr === dc && hops[heap[c + 1]!]! < hops[heap[c]!]!)) {
              c++;
              dc = dr;
            }
          }
          const cn = heap[c]!;
          heap[i] = cn;
          keys[i] = dc;
          pos[cn] = i;
          i = c;
        }
        while (i > 0) {
          const p = (i - 1) >> 1;
          const dp = keys[p]!;
          if (dp < dx || (dp === dx && hops[heap[p]!]! <= hx)) break;
          const pn = heap[p]!;
          heap[i] = pn;
          keys[i] = dp;
          pos[pn] = i;
          i = p;
        }
        heap[i] = x;
        keys[i] = dx;
        pos[x] = i;
      }

      const du = dist[u]!;
      const hv = hops[u]! + 1;
      const fu = firstHop[u]!;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const v = targets[e]!;
        const nd = du + costs[e]!;
        const dv = dist[v]!;
        if (nd > dv) continue;
        const fv = u === source ? v : fu;
        if (nd === dv) {
          // Equal cost: only a strictly better (hops, first hop, pred) tuple replaces the route.
          const hOld = hops[v]!;
          if (hv > hOld) continue;
          if (hv === hOld) {
            const fOld = firstHop[v]!;
            if (fv > fOld || (fv === fOld && u >= pred[v]!)) continue;
          }
        }
        dist[v] = nd;
        hops[v] = hv;
        firstHop[v] = fv;
        pred[v] = u;
        // Insert or decrease-key: either way the key only got smaller, so sift up.
        let i = pos[v]!;
        if (i < 0) i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          const dp = keys[p]!;
          if (dp < nd || (dp === nd && hops[heap[p]!]! <= hv)) break;
          const pn = heap[p]!;
          heap[i] = pn;
          keys[i] = dp;
          pos[pn] = i;
          i = p;
        }
        heap[i] = v;
        keys[i] = nd;
        pos[v] = i;
      }
    }
    return tree;
  }
}

/** One-shot convenience: fresh buffers, no reuse. */
export function shortestPaths(graph: PeerGraph, source: number): ShortestPathTree {
  return new DijkstraWorkspace(graph.size).run(graph, source);
}

function fitTree(out: ShortestPathTree | undefined, n: number, source: number): ShortestPathTree {
  if (
    out !== undefined &&
    out.dist.length >= n &&
    out.hops.length >= n &&
    out.pred.length >= n &&
    out.firstHop.length >= n
  ) {
    return { source, dist: out.dist, hops: out.hops, pred: out.pred, firstHop: out.firstHop };
  }
  return {
    source,
    dist: new Float64Array(n),
    hops: new Int32Array(n),
    pred: new Int32Array(n),
    firstHop: new Int32Array(n),
  };
}
