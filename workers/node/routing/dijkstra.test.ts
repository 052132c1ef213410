import { describe, expect, it } from 'vitest';
import { DijkstraWorkspace, shortestPaths } from './dijkstra.ts';
import { PeerGraph } from './graph.ts';
import type { LinkStateAdvert } from './graph.ts';
import { mulberry32, randomInt } from './prng.ts';
import { randomGraph } from './random-graph.ts';

interface Reference {
  dist: number[];
  hops: number[];
  firstHop: number[];
}

/**
 * Independent O(V²) reference: its own reading of the adverts (two-way check, max cost, min of
 * duplicate claims) into a matrix, then textbook Dijkstra with the same lexicographic preference
 * (cost, hops, first-hop index). Indices are positions in the sorted id list, like PeerGraph's.
 */
function reference(adverts: readonly LinkStateAdvert[], source: string): Reference {
  const names = new Set<string>();
  const claim = new Map<string, number>();
  for (const ad of adverts) {
    names.add(ad.origin);
    for (const l of ad.links) {
      names.add(l.peer);
      if (l.peer === ad.origin) continue;
      const k = `${ad.origin}>${l.peer}`;
      claim.set(k, Math.min(claim.get(k) ?? Infinity, l.cost));
    }
  }
  const ids = [...names].sort();
  const n = ids.length;
  const w = new Float64Array(n * n).fill(NaN);
  for (let u = 0; u < n; u++) {
    for (let v = 0; v < n; v++) {
      const a = claim.get(`${ids[u]}>${ids[v]}`);
      const b = claim.get(`${ids[v]}>${ids[u]}`);
      if (a !== undefined && b !== undefined) w[u * n + v] = Math.max(a, b);
    }
  }
  const s = ids.indexOf(source);
  const dist = new Array<number>(n).fill(Infinity);
  const hops = new Array<number>(n).fill(-1);
  const firstHop = new Array<number>(n).fill(-1);
  const done = new Array<boolean>(n).fill(false);
  dist[s] = 0;
  hops[s] = 0;
  for (;;) {
    let u = -1;
    for (let v = 0; v < n; v++) {
      if (done[v] || hops[v]! < 0) continue;
      if (u < 0 || dist[v]! < dist[u]! || (dist[v] === dist[u] && hops[v]! < hops[u]!)) u = v;
    }
    if (u < 0) break;
    done[u] = true;
    for (let v = 0; v < n; v++) {
      const c = w[u * n + v]!;
      if (Number.isNaN(c) || done[v]) continue;
      const nd = dist[u]! + c;
      const nh = hops[u]! + 1;
      const nf = u === s ? v : firstHop[u]!;
      const better =
        nd < dist[v]! ||
        (nd === dist[v] && (nh < hops[v]! || (nh === hops[v] && nf < firstHop[v]!)));
      if (better) {
        dist[v] = nd;
        hops[v] = nh;
        firstHop[v] = nf;
      }
    }
  }
  return { dist, hops, firstHop };
}

function checkAgainstReference(adverts: LinkStateAdvert[], sourceId: string): void {
  const g = PeerGraph.fromAdverts(adverts);
  const ref = reference(adverts, sourceId);
  const t = shortestPaths(g, g.indexOf(sourceId));
  expect(Array.from(t.dist)).toEqual(ref.dist);
  expect(Array.from(t.hops)).toEqual(ref.hops);
  expect(Array.from(t.firstHop)).toEqual(ref.firstHop);
  // The predecessor tree must realise exactly the reported cost, hops and first hop.
  for (let v = 0; v < g.size; v++) {
    if (t.hops[v]! <= 0) continue;
    const legs: number[] = [];
    let x = v;
    let first = -1;
    while (x !== t.source) {
      const p = t.pred[x]!;
      const row = g.targets.subarray(g.offsets[p], g.offsets[p + 1]);
      legs.push(g.costs[g.offsets[p]! + row.indexOf(x)]!);
      first = x;
      x = p;
    }
    // Summed from the source outwards, as Dijkstra does, so the float result is bit-identical.
    const cost = legs.reverse().reduce((a, c) => a + c, 0);
    expect(legs.length).toBe(t.hops[v]);
    expect(first).toBe(t.firstHop[v]);
    expect(cost).toBe(t.dist[v]);
  }
}

describe('Dijkstra vs an O(V²) reference', () => {
  it('matches on 60 random graphs with float costs', () => {
    const rng = mulberry32(1);
    for (let k = 0; k < 60; k++) {
      const n = randomInt(rng, 2, 120);
      const g = randomGraph(rng, n, { degree: randomInt(rng, 1, 10) });
      checkAgainstReference(g.adverts, g.ids[randomInt(rng, 0, n - 1)]!);
    }
  });

  it('matches on 60 random graphs with small integer costs (many exact ties)', () => {
    const rng = mulberry32(2);
    for (let k = 0; k < 60; k++) {
      const n = randomInt(rng, 2, 120);
      const g = randomGraph(rng, n, { degree: randomInt(rng, 2, 12), maxCost: 3 });
      checkAgainstReference(g.adverts, g.ids[randomInt(rng, 0, n - 1)]!);
    }
  });

  it('matches with zero-cost links (ties broken by hops before first hop)', () => {
    const rng = mulberry32(3);
    for (let k = 0; k < 40; k++) {
      const n = randomInt(rng, 2, 80);
      const g = randomGraph(rng, n, { degree: 6, maxCost: 2 });
      const zeroed = g.adverts.map((ad) => ({
        origin: ad.origin,
        links: [...ad.links].map((l) => ({ peer: l.peer, cost: l.cost - 1 })),
      }));
      checkAgainstReference(zeroed, g.ids[0]!);
    }
  });

  it('matches with one-sided claims and several components', () => {
    const rng = mulberry32(4);
    for (let k = 0; k < 40; k++) {
      const n = randomInt(rng, 3, 100);
      const g = randomGraph(rng, n, { degree: 5, components: randomInt(rng, 1, 4), maxCost: 9 });
      const partial = g.adverts.map((ad) => ({
        origin: ad.origin,
        links: [...ad.links].filter(() => rng() > 0.15),
      }));
      checkAgainstReference(partial, g.ids[randomInt(rng, 0, n - 1)]!);
    }
  });

  it('matches with huge costs', () => {
    const rng = mulberry32(5);
    const g = randomGraph(rng, 60, { degree: 4 });
    const huge = g.adverts.map((ad) => ({
      origin: ad.origin,
      links: [...ad.links].map((l) => ({ peer: l.peer, cost: l.cost * 1e250 })),
    }));
    checkAgainstReference(huge, g.ids[0]!);
  });
});

describe('DijkstraWorkspace', () => {
  it('reuses buffers across graphs of different sizes with identical results', () => {
    const ws = new DijkstraWorkspace();
    const rng = mulberry32(9);
    let out = undefined;
    for (const n of [50, 400, 10, 400]) {
      const g = PeerGraph.fromAdverts(randomGraph(rng, n, { degree: 6 }).adverts);
      const fresh = shortestPaths(g, 0);
      out = ws.run(g, 0, out);
      expect(out.dist.subarray(0, n)).toEqual(fresh.dist);
      expect(out.firstHop.subarray(0, n)).toEqual(fresh.firstHop);
      expect(out.pred.subarray(0, n)).toEqual(fresh.pred);
    }
  });

  it('handles a single node and rejects a bad source index', () => {
    const g = PeerGraph.fromAdverts([{ origin: 'a'.repeat(32), links: [] }]);
    const t = shortestPaths(g, 0);
    expect(Array.from(t.dist)).toEqual([0]);
    expect(Array.from(t.firstHop)).toEqual([-1]);
    expect(() => shortestPaths(g, 1)).toThrow(/outside graph/);
  });
});
