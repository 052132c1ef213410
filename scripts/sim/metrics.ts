/**
 * Ground-truth measurements over the simulated world: the global graph of live links, its
 * degree and diameter, and route stretch against true shortest paths (by the same routing
 * engine, fed true latencies instead of advertised costs).
 */
import { PeerGraph } from '../../workers/node/routing/graph.ts';
import { RouteTable } from '../../workers/node/routing/route-table.ts';
import { bfs } from '../../workers/node/mesh/graph-search.ts';
import type { SimNetwork, SimNode } from './network.ts';

export function globalGraph(net: SimNetwork): PeerGraph {
  const adverts = net
    .alive()
    .map((n) => ({ origin: n.id, links: [] as { peer: string; cost: number }[] }));
  const byId = new Map(adverts.map((a) => [a.origin, a]));
  for (const [a, b] of net.links()) {
    const cost = net.latency(a, b);
    byId.get(a.id)!.links.push({ peer: b.id, cost });
    byId.get(b.id)!.links.push({ peer: a.id, cost });
  }
  return PeerGraph.fromAdverts(adverts);
}

export interface GraphFigures {
  nodes: number;
  links: number;
  avgDegree: number;
  minDegree: number;
  maxDegree: number;
  components: number;
  /** Largest hop distance within the largest component (exact for ≤ 1,500 nodes, else sampled). */
  diameter: number;
  /** Nodes whose departure would split their component. */
  cutVertices: number;
}

export function graphFigures(g: PeerGraph, rng: () => number): GraphFigures {
  const n = g.size;
  let minDegree = Infinity;
  let maxDegree = 0;
  for (let i = 0; i < n; i++) {
    const d = g.offsets[i + 1]! - g.offsets[i]!;
    minDegree = Math.min(minDegree, d);
    maxDegree = Math.max(maxDegree, d);
  }
  const comp = new Int32Array(n).fill(-1);
  let components = 0;
  for (let i = 0; i < n; i++) {
    if (comp[i]! >= 0) continue;
    const d = bfs(g, i);
    for (let v = 0; v < n; v++) if (d[v]! >= 0) comp[v] = components;
    components++;
  }
  const sources =
    n <= 1500 ? [...Array(n).keys()] : Array.from({ length: 300 }, () => Math.floor(rng() * n));
  let diameter = 0;
  for (const s of sources) {
    const d = bfs(g, s);
    for (let v = 0; v < n; v++) diameter = Math.max(diameter, d[v]!);
  }
  return {
    nodes: n,
    links: g.linkCount,
    avgDegree: n ? (2 * g.linkCount) / n : 0,
    minDegree: n ? minDegree : 0,
    maxDegree,
    components,
    diameter,
    cutVertices: countCutVertices(g),
  };
}

/** Articulation points (iterative Tarjan; recursion would overflow at simulator sizes). */
export function countCutVertices(g: PeerGraph): number {
  const n = g.size;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const edge = new Int32Array(n);
  const cut = new Uint8Array(n);
  let time = 0;
  for (let r = 0; r < n; r++) {
    if (disc[r]! >= 0) continue;
    let rootChildren = 0;
    const stack = [r];
    disc[r] = low[r] = time++;
    edge[r] = g.offsets[r]!;
    while (stack.length) {
      const u = stack[stack.length - 1]!;
      if (edge[u]! < g.offsets[u + 1]!) {
        const v = g.targets[edge[u]!++]!;
        if (disc[v]! < 0) {
          parent[v] = u;
          if (u === r) rootChildren++;
          disc[v] = low[v] = time++;
          edge[v] = g.offsets[v]!;
          stack.push(v);
        } else if (v !== parent[u]) low[u] = Math.min(low[u]!, disc[v]!);
      } else {
        stack.pop();
        const p = parent[u]!;
        if (p >= 0) {
          low[p] = Math.min(low[p]!, low[u]!);
          if (p !== r && low[u]! >= disc[p]!) cut[p] = 1;
        }
      }
    }
    if (rootChildren > 1) cut[r] = 1;
  }
  return cut.reduce((s, c) => s + c, 0);
}

export interface Stretch {
  pairs: number;
  /** Mean of (route latency / shortest latency) over routed pairs. */
  latency: number;
  /** Mean of (route hops / fewest hops). */
  hops: number;
  unrouted: number;
}

/** Route stretch of node-chosen paths (node.route) against the ground truth. */
export function routeStretch(net: SimNetwork, g: PeerGraph, pairs: [SimNode, SimNode][]): Stretch {
  let lat = 0;
  let hops = 0;
  let counted = 0;
  let unrouted = 0;
  const tables = new Map<string, RouteTable>();
  for (const [a, b] of pairs) {
    const path = a.node.route(b.id);
    if (!path) {
      unrouted++;
      continue;
    }
    let t = tables.get(a.id);
    if (!t) tables.set(a.id, (t = RouteTable.build(g, a.id)));
    const best = t.cost(b.id);
    const fewest = bfs(g, g.indexOf(a.id))[g.indexOf(b.id)]!;
    if (best === undefined || fewest <= 0) continue;
    let cost = 0;
    for (let i = 0; i + 1 < path.length; i++) {
      cost += net.latency(net.nodes.get(path[i]!)!, net.nodes.get(path[i + 1]!)!);
    }
    lat += cost / best;
    hops += (path.length - 1) / fewest;
    counted++;
  }
  return {
    pairs: counted,
    latency: counted ? lat / counted : 0,
    hops: counted ? hops / counted : 0,
    unrouted,
  };
}
