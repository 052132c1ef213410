/**
 * Breadth-first searches over the routing graph's CSR arrays, for topology control: which peers
 * depend on one neighbour (a cut vertex between us and them), and whether a link is redundant.
 */
import type { PeerGraph } from '../routing/graph.ts';

/**
 * Hop distances from `src` (-1 = unreached), optionally pretending node `skipNode` is gone, or
 * that the single link `skipA`–`skipB` is gone.
 */
export function bfs(g: PeerGraph, src: number, skipNode = -1, skipA = -1, skipB = -1): Int32Array {
  const dist = new Int32Array(g.size).fill(-1);
  if (src < 0 || src === skipNode) return dist;
  const q = new Int32Array(g.size);
  const { offsets, targets } = g;
  let head = 0;
  let tail = 0;
  dist[src] = 0;
  q[tail++] = src;
  while (head < tail) {
    const u = q[head++]!;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      const v = targets[e]!;
      if (dist[v]! >= 0 || v === skipNode) continue;
      if ((u === skipA && v === skipB) || (u === skipB && v === skipA)) continue;
      dist[v] = dist[u]! + 1;
      q[tail++] = v;
    }
  }
  return dist;
}

export function neighboursOf(g: PeerGraph, i: number): number[] {
  const out: number[] = [];
  for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) out.push(g.targets[e]!);
  return out;
}

/**
 * For each neighbour `n` of `me`: the peers reachable from `me` only through `n` (so `n` is a
 * cut vertex and its departure would cut them off). Empty map when no neighbour is one.
 * `skipA`–`skipB` asks the same question as if that link were gone.
 */
export function dependents(
  g: PeerGraph,
  me: number,
  skipA = -1,
  skipB = -1,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (me < 0) return out;
  const base = bfs(g, me, -1, skipA, skipB);
  for (const n of neighboursOf(g, me)) {
    if ((me === skipA && n === skipB) || (me === skipB && n === skipA)) continue;
    const without = bfs(g, me, n, skipA, skipB);
    const cut: number[] = [];
    for (let v = 0; v < g.size; v++) {
      if (v !== n && base[v]! > 0 && without[v]! < 0) cut.push(v);
    }
    if (cut.length) out.set(n, cut);
  }
  return out;
}
