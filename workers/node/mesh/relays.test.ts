import { describe, expect, it } from 'vitest';
import type { AdvertFrame } from '../../../src/protocol/frame.ts';
import { LinkStateDb } from './lsdb.ts';
import { planFlood, selectMprs } from './relays.ts';

const id = (i: number) => i.toString(16).padStart(32, '0');

function randomMesh(n: number, edgesPerNode: number, seed: number): Set<number>[] {
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const adj = Array.from({ length: n }, () => new Set<number>());
  const add = (i: number, j: number) => {
    if (i === j) return;
    adj[i]!.add(j);
    adj[j]!.add(i);
  };
  for (let i = 0; i < n; i++) add(i, (i + 1) % n);
  while (adj.reduce((s, a) => s + a.size, 0) / 2 < n * edgesPerNode)
    add(Math.floor(rnd() * n), Math.floor(rnd() * n));
  return adj;
}

let graphNo = 0;

function dbOf(adj: Set<number>[], unknown: Set<number> = new Set()): LinkStateDb {
  const db = new LinkStateDb();
  graphNo++;
  adj.forEach((peers, i) => {
    if (unknown.has(i)) return;
    const f = {
      origin: id(i),
      seq: 1,
      publicKey: new Uint8Array(32),
      // unique per graph: verified adverts with equal (origin, seq, sig) share content
      sig: new Uint8Array([graphNo & 255, graphNo >> 8, i & 255, i >> 8]),
      lifetimeS: 100,
      ageS: 0,
      links: [...peers].map((j) => ({ peer: id(j), cost: 1 })),
    };
    db.accept(f as unknown as AdvertFrame, 0);
  });
  return db;
}

/** Floods from node 0 hop by hop the way nodes do: only named relays forward, once. */
function flood(adj: Set<number>[], db: LinkStateDb) {
  const got = new Array<number>(adj.length).fill(0);
  const forwarded = new Set<number>();
  let sends = 0;
  let wave: { to: number; from?: number; relays: string[] }[] = [{ to: 0, relays: [] }];
  got[0] = 1;
  while (wave.length) {
    const next: typeof wave = [];
    for (const m of wave) {
      if (m.from !== undefined) got[m.to]!++;
      const named = m.from === undefined || m.relays.includes(id(m.to));
      if (!named || forwarded.has(m.to)) continue;
      forwarded.add(m.to);
      const nbrs = [...adj[m.to]!].map(id);
      const prev = m.from === undefined ? undefined : id(m.from);
      const plan = planFlood(nbrs, prev, selectMprs(id(m.to), nbrs, db), db);
      sends += plan.targets.length;
      for (const t of plan.targets)
        next.push({ to: parseInt(t, 16), from: m.to, relays: plan.relays });
    }
    wave = next;
  }
  return { covered: got.filter((g) => g > 0).length, sends };
}

describe('multipoint-relay flooding plan', () => {
  it("covers every node of random meshes, never above flooding's cost", () => {
    for (const seed of [1, 2, 3, 7]) {
      const adj = randomMesh(60, 3, seed);
      const edges = adj.reduce((s, a) => s + a.size, 0) / 2;
      const { covered, sends } = flood(adj, dbOf(adj));
      expect(covered).toBe(60);
      // On point-to-point links, sparse random meshes make almost every node some neighbour's
      // MPR, so sends stay near flooding's (the broadcast tree is what gets to n − 1); the plan's
      // value is that it is cached per neighbourhood (O(1) per frame) and safe with gaps.
      expect(sends).toBeLessThanOrEqual(2 * edges - 59);
    }
  });

  it('falls back to flooding through neighbours whose adverts are unknown (no coverage lost)', () => {
    const adj = randomMesh(40, 3, 5);
    const { covered } = flood(adj, dbOf(adj, new Set([3, 4, 5, 11, 17])));
    expect(covered).toBe(40);
  });

  it('the origin sends to every neighbour; a relay skips the previous hop and its neighbours', () => {
    // 0 — 1 — 2, 0 — 2 (triangle) and 2 — 3
    const adj = [new Set([1, 2]), new Set([0, 2]), new Set([0, 1, 3]), new Set([2])];
    const db = dbOf(adj);
    expect(selectMprs(id(0), [id(1), id(2)], db)).toEqual([id(2)]);
    expect(planFlood([id(1), id(2)], undefined, [id(2)], db)).toEqual({
      targets: [id(1), id(2)],
      relays: [id(2)],
    });
    const mprs2 = selectMprs(id(2), [id(0), id(1), id(3)], db);
    expect(mprs2).toEqual([]); // 2's neighbours have no further neighbours
    expect(planFlood([id(0), id(1), id(3)], id(0), mprs2, db).targets).toEqual([id(3)]);
  });
});
