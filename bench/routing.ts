/**
 * Route recompute benchmark: full single-source shortest paths to every destination, including
 * the first-hop (forwarding) table, on seeded random connected meshes (average degree 8).
 * Three engines on the same graph in the same run:
 *   ours       RouteTable.build (CSR + binary-heap Dijkstra over typed arrays, workspace reused)
 *   graphology graphology-shortest-path `singleSource` + first hop read off each returned path
 *   O(V²)      textbook array Dijkstra (linear scan for the minimum), written here as a baseline
 * Each engine is warmed up, then timed over the same rotating sources; medians are reported.
 *
 * Run: npx tsx bench/routing.ts   (override with NODES=1000,10000 RUNS=11 WARMUP_MS=300)
 */
import Graph from 'graphology';
import { singleSource } from 'graphology-shortest-path/dijkstra';
import { DijkstraWorkspace } from '../workers/node/routing/dijkstra.ts';
import { PeerGraph } from '../workers/node/routing/graph.ts';
import { mulberry32 } from '../workers/node/routing/prng.ts';
import { randomGraph } from '../workers/node/routing/random-graph.ts';
import { RouteTable } from '../workers/node/routing/route-table.ts';

const SIZES = (process.env.NODES ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 11);
/** Ours is ~40× cheaper than graphology, so it can afford more samples of the same sources. */
const OURS_REPEAT = 5;
/** Warm-up until both hold, so every engine reaches its optimising JIT tier before timing. */
const WARMUP_CALLS = 2;
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 300);
const DEGREE = 8;

interface Adjacency {
  ids: string[];
  /** Plain JS arrays on purpose: this is the "no data-structure work" baseline. */
  neighbours: number[][];
  weights: number[][];
}

/** O(V²) Dijkstra + first hops; returns the first-hop array (-1 = none). */
function quadraticDijkstra(adj: Adjacency, source: number): number[] {
  const n = adj.ids.length;
  const dist: number[] = new Array<number>(n).fill(Infinity);
  const first: number[] = new Array<number>(n).fill(-1);
  const done: boolean[] = new Array<boolean>(n).fill(false);
  dist[source] = 0;
  for (let round = 0; round < n; round++) {
    let u = -1;
    let best = Infinity;
    for (let v = 0; v < n; v++) {
      if (!done[v] && dist[v]! < best) {
        best = dist[v]!;
        u = v;
      }
    }
    if (u < 0) break;
    done[u] = true;
    const nb = adj.neighbours[u]!;
    const w = adj.weights[u]!;
    for (let k = 0; k < nb.length; k++) {
      const v = nb[k]!;
      const nd = best + w[k]!;
      if (nd < dist[v]!) {
        dist[v] = nd;
        first[v] = u === source ? v : first[u]!;
      }
    }
  }
  return first;
}

function toAdjacency(g: PeerGraph): Adjacency {
  const neighbours: number[][] = [];
  const weights: number[][] = [];
  for (let u = 0; u < g.size; u++) {
    neighbours.push(Array.from(g.targets.subarray(g.offsets[u], g.offsets[u + 1])));
    weights.push(Array.from(g.costs.subarray(g.offsets[u], g.offsets[u + 1])));
  }
  return { ids: [...g.ids], neighbours, weights };
}

function toGraphology(g: PeerGraph): Graph {
  const graph = new Graph({ type: 'undirected', multi: false });
  for (const id of g.ids) graph.addNode(id);
  for (let u = 0; u < g.size; u++) {
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
      const v = g.targets[e]!;
      if (u < v) graph.addEdge(g.ids[u], g.ids[v], { weight: g.costs[e] });
    }
  }
  return graph;
}

/** graphology returns full paths; the forwarding table is each path's second element. */
function graphologyFirstHops(graph: Graph, source: string): Map<string, string> {
  const paths = singleSource(graph, source, 'weight');
  const first = new Map<string, string>();
  for (const dest in paths) {
    const p = paths[dest]!;
    if (p.length > 1) first.set(dest, p[1]!);
  }
  return first;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warm up, then time `fn` `repeat` times per source; returns the median in ms. */
function time(sources: number[], fn: (source: number) => unknown, repeat = 1): number {
  const w0 = performance.now();
  for (let i = 0; i < WARMUP_CALLS || performance.now() - w0 < WARMUP_MS; i++) {
    fn(sources[i % sources.length]!);
  }
  const samples: number[] = [];
  for (let r = 0; r < repeat; r++) {
    for (const s of sources) {
      const t0 = performance.now();
      fn(s);
      samples.push(performance.now() - t0);
    }
  }
  return median(samples);
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1)).padStart(8);
const ratio = (x: number): string => `${x.toFixed(1)}×`.padStart(8);

function benchSize(n: number): void {
  const rng = mulberry32(0x6b617479 ^ n);
  const { adverts } = randomGraph(rng, n, { degree: DEGREE });
  const t0 = performance.now();
  const g = PeerGraph.fromAdverts(adverts);
  const coldBuildMs = performance.now() - t0;
  const sources: number[] = [];
  for (let i = 0; i < RUNS; i++) sources.push(Math.floor(rng() * n));

  // The node rebuilds the graph when its link-state database changes, so its warm cost matters.
  const buildMs = time(sources.slice(0, 5), () => PeerGraph.fromAdverts(adverts));

  const ws = new DijkstraWorkspace(n);
  let check: RouteTable | undefined;
  // Allocation-free run first: the table build's garbage would otherwise have the (concurrent)
  // collector running beside it.
  const reuse = ws.run(g, 0);
  const oursCore = time(sources, (s) => ws.run(g, s, reuse), OURS_REPEAT);
  const ours = time(sources, (s) => (check = RouteTable.build(g, g.ids[s]!, ws)), OURS_REPEAT);

  const gg = toGraphology(g);
  let glFirst = new Map<string, string>();
  const gl = time(sources, (s) => (glFirst = graphologyFirstHops(gg, g.ids[s]!)));

  const adj = toAdjacency(g);
  // The O(V²) baseline is slow by design; fewer samples keep the run bounded.
  const quadSources = sources.slice(0, Math.min(sources.length, n > 5000 ? 5 : sources.length));
  let qFirst: number[] = [];
  const quad = time(quadSources, (s) => (qFirst = quadraticDijkstra(adj, s)));

  // Sanity: engines agree on reachability and (with float costs, ties are improbable) first hops.
  const last = sources[sources.length - 1]!;
  check = RouteTable.build(g, g.ids[last]!, ws);
  const glCheck = graphologyFirstHops(gg, g.ids[last]!);
  const qCheck = quadraticDijkstra(adj, last);
  let mismatches = 0;
  for (let v = 0; v < n; v++) {
    const hop = check.nextHop(g.ids[v]!);
    if (hop !== glCheck.get(g.ids[v]!)) mismatches++;
    if ((qCheck[v]! < 0 ? undefined : g.ids[qCheck[v]!]) !== hop) mismatches++;
  }
  // Keep the timed results observable so no engine's work can be optimised away.
  void glFirst;
  void qFirst;

  console.log(
    `\n${n} nodes, ${g.linkCount} links (avg degree ${((2 * g.linkCount) / n).toFixed(2)})`,
  );
  console.log(
    `  graph build from adverts (two-way check, sort, CSR): ${fmt(buildMs)} ms warm, ${fmt(coldBuildMs)} ms cold`,
  );
  console.log(
    `  median ms over ${RUNS} sources (ours ×${OURS_REPEAT} each; O(V²) ${quadSources.length}):`,
  );
  console.log(`    ours  RouteTable.build         ${fmt(ours)}`);
  console.log(`    ours  Dijkstra only, reused out ${fmt(oursCore)}`);
  console.log(`    graphology singleSource+hops  ${fmt(gl)}   ${ratio(gl / ours)} graphology/ours`);
  console.log(`    O(V²) array Dijkstra+hops     ${fmt(quad)}   ${ratio(quad / ours)} O(V²)/ours`);
  console.log(`  first-hop mismatches vs baselines: ${mismatches}`);
}

const t = performance.now();
for (const n of SIZES) benchSize(n);
console.log(`\ntotal ${((performance.now() - t) / 1000).toFixed(1)} s`);
