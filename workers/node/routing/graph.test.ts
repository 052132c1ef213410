import { describe, expect, it } from 'vitest';
import { isMeshError } from '../../../src/protocol/errors.ts';
import { PeerGraph } from './graph.ts';
import type { LinkStateAdvert } from './graph.ts';
import { mulberry32 } from './prng.ts';
import { randomGraph } from './random-graph.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const D = 'd'.repeat(32);

function links(g: PeerGraph, id: string): string[] {
  return g.neighbors(id).map((l) => `${l.peer[0]}:${l.cost}`);
}

describe('PeerGraph', () => {
  it('interns ids in sorted order and stores a symmetric CSR', () => {
    const g = PeerGraph.fromAdverts([
      { origin: C, links: [{ peer: A, cost: 2 }] },
      {
        origin: A,
        links: [
          { peer: C, cost: 2 },
          { peer: B, cost: 1 },
        ],
      },
      { origin: B, links: [{ peer: A, cost: 1 }] },
    ]);
    expect(g.ids).toEqual([A, B, C]);
    expect(g.size).toBe(3);
    expect(g.linkCount).toBe(2);
    expect(Array.from(g.offsets)).toEqual([0, 2, 3, 4]);
    expect(links(g, A)).toEqual(['b:1', 'c:2']);
    expect(links(g, B)).toEqual(['a:1']);
    expect(g.indexOf(C)).toBe(2);
    expect(g.indexOf(D)).toBe(-1);
    expect(g.idOf(1)).toBe(B);
  });

  it('ignores a one-sided claim by default, but keeps the claimed peer as a node', () => {
    const adverts: LinkStateAdvert[] = [
      {
        origin: A,
        links: [
          { peer: B, cost: 1 },
          { peer: C, cost: 1 },
        ],
      },
      { origin: B, links: [{ peer: A, cost: 1 }] },
      { origin: C, links: [] },
    ];
    const g = PeerGraph.fromAdverts(adverts);
    expect(links(g, A)).toEqual(['b:1']);
    expect(links(g, C)).toEqual([]);
    expect(g.has(C)).toBe(true);
    const open = PeerGraph.fromAdverts(adverts, { requireBidirectional: false });
    expect(links(open, A)).toEqual(['b:1', 'c:1']);
    expect(links(open, C)).toEqual(['a:1']);
  });

  it('a peer named only by others is known but has no links', () => {
    const g = PeerGraph.fromAdverts([{ origin: A, links: [{ peer: D, cost: 1 }] }]);
    expect(g.ids).toEqual([A, D]);
    expect(g.linkCount).toBe(0);
  });

  it('costs a link at the max of the two claims', () => {
    const g = PeerGraph.fromAdverts([
      { origin: A, links: [{ peer: B, cost: 1 }] },
      { origin: B, links: [{ peer: A, cost: 7.5 }] },
    ]);
    expect(links(g, A)).toEqual(['b:7.5']);
    expect(links(g, B)).toEqual(['a:7.5']);
  });

  it('collapses duplicate claims to the lowest cost and drops self-links', () => {
    const g = PeerGraph.fromAdverts([
      {
        origin: A,
        links: [
          { peer: B, cost: 9 },
          { peer: A, cost: 0 },
          { peer: B, cost: 3 },
        ],
      },
      { origin: B, links: [{ peer: A, cost: 2 }] },
      { origin: B, links: [{ peer: A, cost: 5 }] },
    ]);
    expect(g.linkCount).toBe(1);
    expect(links(g, A)).toEqual(['b:3']);
  });

  it('rejects negative, NaN and infinite costs with a MeshError', () => {
    for (const cost of [-1, NaN, Infinity]) {
      let caught: unknown;
      try {
        PeerGraph.fromAdverts([{ origin: A, links: [{ peer: B, cost }] }]);
      } catch (e) {
        caught = e;
      }
      expect(isMeshError(caught, 'bad-message')).toBe(true);
    }
  });

  it('accepts zero and huge costs', () => {
    const g = PeerGraph.fromAdverts([
      {
        origin: A,
        links: [
          { peer: B, cost: 0 },
          { peer: C, cost: 1e300 },
        ],
      },
      { origin: B, links: [{ peer: A, cost: 0 }] },
      { origin: C, links: [{ peer: A, cost: 1e300 }] },
    ]);
    expect(links(g, A)).toEqual(['b:0', 'c:1e+300']);
  });

  it('fromAdjacency matches fromAdverts', () => {
    const adj = new Map([
      [A, [{ to: B, cost: 1 }]],
      [
        B,
        [
          { to: A, cost: 4 },
          { to: C, cost: 2 },
        ],
      ],
      [C, [{ to: B, cost: 2 }]],
    ]);
    const g = PeerGraph.fromAdjacency(adj);
    expect(links(g, B)).toEqual(['a:4', 'c:2']);
  });

  it('yields identical arrays whatever order the adverts and links arrive in', () => {
    const { adverts } = randomGraph(mulberry32(7), 300, { degree: 6 });
    const a = PeerGraph.fromAdverts(adverts);
    const shuffled = adverts
      .map((ad) => ({ origin: ad.origin, links: [...ad.links].reverse() }))
      .reverse();
    const b = PeerGraph.fromAdverts(shuffled);
    expect(b.ids).toEqual(a.ids);
    expect(b.offsets).toEqual(a.offsets);
    expect(b.targets).toEqual(a.targets);
    expect(b.costs).toEqual(a.costs);
  });

  it('keeps every row sorted and every link symmetric on random graphs', () => {
    for (const requireBidirectional of [true, false]) {
      const { adverts } = randomGraph(mulberry32(11), 200, { degree: 8 });
      // Drop some claims so one-sided links exist.
      const rng = mulberry32(3);
      const partial = adverts.map((ad) => ({
        origin: ad.origin,
        links: [...ad.links].filter(() => rng() > 0.2),
      }));
      const g = PeerGraph.fromAdverts(partial, { requireBidirectional });
      for (let u = 0; u < g.size; u++) {
        for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
          if (e > g.offsets[u]!) expect(g.targets[e]!).toBeGreaterThan(g.targets[e - 1]!);
          const v = g.targets[e]!;
          const back = g.neighbors(g.idOf(v)).find((l) => l.peer === g.idOf(u));
          expect(back?.cost).toBe(g.costs[e]);
        }
      }
    }
  });
});
