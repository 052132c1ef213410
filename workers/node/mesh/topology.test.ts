import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../../scripts/sim/network.ts';
import { converged } from '../../../scripts/sim/run.ts';
import { countCutVertices, globalGraph, graphFigures } from '../../../scripts/sim/metrics.ts';

async function settle(net: SimNetwork, ms: number) {
  for (let t = 0; t < ms; t += 1000) await net.run(1000);
}

describe('topology control', () => {
  it('grows a line into a 2-connected mesh within the degree bounds', async () => {
    const net = new SimNetwork({
      seed: 3,
      loss: 0,
      bootstrapLinks: 1,
      node: { minLinks: 3, maxLinks: 5 },
    });
    await net.prepare(30);
    for (let i = 0; i < 30; i++) net.joinNow(1); // each node introduced to one earlier node: a tree
    await settle(net, 40_000);
    const g = globalGraph(net);
    const f = graphFigures(g, net.rng);
    expect(f.components).toBe(1);
    expect(f.minDegree).toBeGreaterThanOrEqual(3);
    expect(f.maxDegree).toBeLessThanOrEqual(5 + 2);
    expect(countCutVertices(g)).toBe(0); // no single departure partitions it
    expect(converged(net)).toBe(true);
    // links were negotiated through the mesh as routed signals
    expect(net.signalsRouted).toBeGreaterThan(0);
  }, 60_000);

  it('repairs a cut vertex: two clusters joined through one node get a second bridge', async () => {
    const net = new SimNetwork({
      seed: 4,
      loss: 0,
      bootstrapLinks: 0,
      node: { minLinks: 2, maxLinks: 6 },
    });
    await net.prepare(9);
    const n = Array.from({ length: 9 }, () => net.joinNow(0));
    // two triangles-plus (0..3) and (5..8), both attached only to node 4
    const pairs = [
      [0, 1],
      [1, 2],
      [2, 0],
      [2, 3],
      [3, 0],
      [5, 6],
      [6, 7],
      [7, 5],
      [7, 8],
      [8, 5],
      [3, 4],
      [4, 5],
    ];
    for (const [a, b] of pairs) net.connect(n[a!]!, n[b!]!, 1);
    await net.run(1000);
    expect(countCutVertices(globalGraph(net))).toBeGreaterThan(0);
    await settle(net, 30_000);
    const g = globalGraph(net);
    expect(countCutVertices(g)).toBe(0);
    expect(graphFigures(g, net.rng).components).toBe(1);
  }, 60_000);

  it('over maxLinks: closes redundant links (bye) but never a bridge', async () => {
    const net = new SimNetwork({
      seed: 5,
      loss: 0,
      bootstrapLinks: 0,
      node: { minLinks: 2, maxLinks: 3, linkSlack: 6 },
    });
    await net.prepare(8);
    const n = Array.from({ length: 8 }, () => net.joinNow(0));
    for (let i = 1; i < 8; i++) net.connect(n[0]!, n[i]!, 1); // a hub with 7 links
    for (let i = 1; i < 7; i++) net.connect(n[i]!, n[i + 1]!, 1); // a rim: hub links are redundant
    await settle(net, 90_000); // one prune per tick at most, on a coin flip: slow on purpose
    expect(n[0]!.node.neighbours().length).toBeLessThanOrEqual(3);
    const g = globalGraph(net);
    expect(graphFigures(g, net.rng).components).toBe(1);
    expect(n[0]!.node.stats().controlOut).toBeGreaterThan(0);
  }, 60_000);
});
