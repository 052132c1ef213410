import { describe, expect, it } from 'vitest';
import { DijkstraWorkspace } from './dijkstra.ts';
import { PeerGraph } from './graph.ts';
import type { LinkStateAdvert } from './graph.ts';
import { mulberry32 } from './prng.ts';
import { randomGraph } from './random-graph.ts';
import { RouteTable } from './route-table.ts';

const id = (c: string): string => c.repeat(32);
const [S, A, B, C, D, X, Y] = ['0', 'a', 'b', 'c', 'd', 'e', 'f'].map(id) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

/** Undirected links [u, v, cost], advertised by both ends at the same cost. */
function mesh(edges: Array<[string, string, number]>, lone: string[] = []): LinkStateAdvert[] {
  const links = new Map<string, Array<{ peer: string; cost: number }>>();
  for (const n of lone) links.set(n, []);
  for (const [u, v, cost] of edges) {
    links.set(u, [...(links.get(u) ?? []), { peer: v, cost }]);
    links.set(v, [...(links.get(v) ?? []), { peer: u, cost }]);
  }
  return [...links].map(([origin, l]) => ({ origin, links: l }));
}

describe('RouteTable', () => {
  // S─A─C and S─B─C, both cost 2; S─D─X cost 1 each; Y isolated.
  const adverts = mesh(
    [
      [S, A, 1],
      [A, C, 1],
      [S, B, 1],
      [B, C, 1],
      [S, D, 1],
      [D, X, 1],
    ],
    [Y],
  );
  const table = RouteTable.build(PeerGraph.fromAdverts(adverts), S);

  it('answers next hop, hops, cost and path', () => {
    expect(table.nextHop(X)).toBe(D);
    expect(table.hops(X)).toBe(2);
    expect(table.cost(X)).toBe(2);
    expect(table.path(X)).toEqual([S, D, X]);
    expect(table.nextHop(A)).toBe(A);
    expect(table.hops(A)).toBe(1);
  });

  it('breaks equal-cost ties towards the smaller next-hop id', () => {
    expect(table.nextHop(C)).toBe(A);
    expect(table.path(C)).toEqual([S, A, C]);
  });

  it('prefers fewer hops at equal cost, then cost over hops', () => {
    const t = RouteTable.build(
      PeerGraph.fromAdverts(
        mesh([
          [S, A, 1],
          [A, B, 1],
          [B, X, 1],
          [S, D, 2],
          [D, X, 1],
          [S, C, 1],
          [C, Y, 1],
          [S, Y, 5],
        ]),
      ),
      S,
    );
    expect(t.path(X)).toEqual([S, D, X]); // cost 3 both ways; 2 hops beats 3
    expect(t.path(Y)).toEqual([S, C, Y]); // cost 2 in 2 hops beats cost 5 direct
  });

  it('handles the source, unreachable and unknown peers', () => {
    expect(table.nextHop(S)).toBeUndefined();
    expect(table.hops(S)).toBe(0);
    expect(table.cost(S)).toBe(0);
    expect(table.path(S)).toEqual([S]);
    expect(table.route(S)).toBeUndefined();
    for (const p of [Y, id('9')]) {
      expect(table.isReachable(p)).toBe(false);
      expect(table.nextHop(p)).toBeUndefined();
      expect(table.hops(p)).toBeUndefined();
      expect(table.cost(p)).toBeUndefined();
      expect(table.path(p)).toEqual([]);
    }
    expect(table.reachable()).toEqual([A, B, C, D, X]);
  });

  it('a source without an advert reaches nothing but itself', () => {
    const t = RouteTable.build(PeerGraph.fromAdverts(adverts), id('9'));
    expect(t.reachable()).toEqual([]);
    expect(t.isReachable(id('9'))).toBe(true);
    expect(t.nextHop(A)).toBeUndefined();
    expect(t.nextHops().size).toBe(0);
  });

  it('a single-node graph', () => {
    const t = RouteTable.build(PeerGraph.fromAdverts([{ origin: S, links: [] }]), S);
    expect(t.reachable()).toEqual([]);
    expect(t.path(S)).toEqual([S]);
  });

  it('ignores a one-sided claim: no route through it', () => {
    const g = PeerGraph.fromAdverts([
      { origin: S, links: [{ peer: A, cost: 1 }] },
      {
        origin: A,
        links: [
          { peer: S, cost: 1 },
          { peer: X, cost: 1 },
        ],
      },
      { origin: X, links: [] },
    ]);
    expect(RouteTable.build(g, S).isReachable(X)).toBe(false);
  });

  it('answers batches, aligned and grouped by next hop', () => {
    const dests = [X, C, Y, S, A];
    expect(table.routes(dests)).toEqual([
      { dest: X, nextHop: D, hops: 2, cost: 2 },
      { dest: C, nextHop: A, hops: 2, cost: 2 },
      undefined,
      undefined,
      { dest: A, nextHop: A, hops: 1, cost: 1 },
    ]);
    const grouped = table.groupByNextHop(dests);
    expect([...grouped.byNextHop]).toEqual([
      [D, [X]],
      [A, [C, A]],
    ]);
    expect(grouped.unreachable).toEqual([Y, S]);
    expect([...table.nextHops()]).toEqual([
      [A, A],
      [B, B],
      [C, A],
      [D, D],
      [X, D],
    ]);
  });

  it('is consistent on random graphs: first hop, prefix-closed paths, determinism', () => {
    const rng = mulberry32(42);
    for (let k = 0; k < 10; k++) {
      const { ids, adverts: ads } = randomGraph(rng, 150, { degree: 6, maxCost: 4 });
      const g = PeerGraph.fromAdverts(ads);
      const src = ids[k]!;
      const ws = new DijkstraWorkspace();
      const t = RouteTable.build(g, src, ws);
      const again = RouteTable.build(PeerGraph.fromAdverts([...ads].reverse()), src, ws);
      expect([...again.nextHops()]).toEqual([...t.nextHops()]);
      expect(t.reachable()).toHaveLength(149); // randomGraph is connected
      const neighbours = new Set(g.neighbors(src).map((l) => l.peer));
      for (const dest of t.reachable()) {
        const path = t.path(dest);
        expect(path[0]).toBe(src);
        expect(path[1]).toBe(t.nextHop(dest));
        expect(neighbours.has(t.nextHop(dest)!)).toBe(true);
        expect(path.length - 1).toBe(t.hops(dest));
        expect(again.path(dest)).toEqual(path);
        // Every node on a route is routed along that same route (the tree is prefix-closed).
        for (let i = 1; i < path.length; i++) {
          expect(t.path(path[i]!)).toEqual(path.slice(0, i + 1));
        }
      }
    }
  });
});
