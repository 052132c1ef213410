/**
 * The tightest degree bounds (minLinks = maxLinks = 2, as the e2e suite and `&maxLinks=2` use):
 * the only mesh without a cut vertex is a ring, and topology control must find it from any
 * start, and find it again after a node leaves, without a signaling server.
 */
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../../scripts/sim/network.ts';
import { countCutVertices, globalGraph, graphFigures } from '../../../scripts/sim/metrics.ts';

async function settle(net: SimNetwork, ms: number) {
  for (let t = 0; t < ms; t += 1000) await net.run(1000);
}

const degrees = (net: SimNetwork) => net.alive().map((n) => n.node.neighbours().length);

describe('topology control at minLinks = maxLinks = 2', () => {
  for (const seed of [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]) {
    it(`forms a ring from a crowded start and re-forms it after a node leaves (seed ${seed})`, async () => {
      const net = new SimNetwork({
        seed,
        loss: 0,
        bootstrapLinks: 3,
        node: { minLinks: 2, maxLinks: 2 },
      });
      await net.prepare(6);
      const nodes = Array.from({ length: 6 }, () => net.joinNow());
      await settle(net, 60_000);
      expect(degrees(net)).toEqual([2, 2, 2, 2, 2, 2]);
      expect(countCutVertices(globalGraph(net))).toBe(0);

      net.leave(nodes[2]!, false);
      await settle(net, 60_000);
      expect(degrees(net)).toEqual([2, 2, 2, 2, 2]);
      expect(graphFigures(globalGraph(net), net.rng).components).toBe(1);
    }, 60_000);
  }
});
