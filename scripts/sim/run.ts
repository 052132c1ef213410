/**
 * runSimulation: the whole experiment as a library call (the CLI and the tests both use it).
 *
 * 1. Flash crowd: all nodes join at t = 0, each introduced by the "signaling server" to a few
 *    random earlier nodes; topology control takes it from there. Convergence = the first
 *    whole second at which every node routes to every other live node.
 * 2. Settle, then a static probe (unicast between random connected pairs, broadcasts), route
 *    stretch and graph figures; control traffic per node per second over the settle window.
 * 3. With churn > 0: over `churnWindowMs`, round(churn × n) nodes leave (half say bye, half
 *    vanish) and as many new nodes join, while unicast and broadcast traffic runs; then the
 *    mesh re-settles and is probed again ("after").
 */
import type { MeshNodeOptions } from '../../workers/node/mesh/types.ts';
import { churnPhase, type ChurnResult } from './churn.ts';
import {
  globalGraph,
  graphFigures,
  routeStretch,
  type GraphFigures,
  type Stretch,
} from './metrics.ts';
import { SimNetwork } from './network.ts';
import { connectedPairs, probe, sumControlOut, type ProbeResult } from './probes.ts';

export interface SimOptions {
  nodes: number;
  loss?: number;
  churn?: number;
  seed?: number;
  minLinks?: number;
  maxLinks?: number;
  pairs?: number;
  broadcasts?: number;
  settleMs?: number;
  /** Window over which steady-state control traffic is measured (default 60 s). */
  steadyMs?: number;
  maxConvergeMs?: number;
  churnWindowMs?: number;
  node?: Partial<MeshNodeOptions>;
  log?: (line: string) => void;
}

export interface SimReport {
  nodes: number;
  seed: number;
  loss: number;
  churn: number;
  convergenceMs: number | undefined;
  controlPerNodePerSec: number;
  graph: GraphFigures;
  stretch: Stretch;
  static: ProbeResult;
  churned?: ChurnResult;
  after?: ProbeResult & { graph: GraphFigures; reconvergedMs: number | undefined };
  wallMs: number;
  events: number;
  realVerifies: number;
  memoHits: number;
}

/** Every live node routes to every other live node, and to no departed one. */
export function converged(net: SimNetwork): boolean {
  const alive = net.alive();
  const ids = new Set(alive.map((n) => n.id));
  for (const n of alive) {
    let reach = 0;
    for (const p of n.node.peers()) {
      if (!p.reachable) continue;
      if (!ids.has(p.peerId)) return false;
      reach++;
    }
    if (reach !== alive.length - 1) return false;
  }
  return true;
}

export async function untilConverged(net: SimNetwork, maxMs: number): Promise<number | undefined> {
  const start = net.clock.now();
  while (net.clock.now() - start < maxMs) {
    await net.run(1000);
    if (converged(net)) return net.clock.now() - start;
  }
  return undefined;
}

export async function runSimulation(o: SimOptions): Promise<SimReport> {
  const wall = Date.now();
  const log = o.log ?? (() => {});
  const seed = o.seed ?? 1;
  const loss = o.loss ?? 0;
  const churn = o.churn ?? 0;
  const node: Partial<MeshNodeOptions> = { ...o.node };
  if (o.minLinks !== undefined) node.minLinks = o.minLinks;
  if (o.maxLinks !== undefined) node.maxLinks = o.maxLinks;
  const net = new SimNetwork({ seed, loss, node });
  await net.prepare(o.nodes);
  for (let i = 0; i < o.nodes; i++) net.joinNow();
  log(`${o.nodes} nodes created (${Date.now() - wall} ms wall)`);

  const convergenceMs = await untilConverged(net, o.maxConvergeMs ?? 120_000);
  log(`converged: ${convergenceMs ?? 'no'} ms virtual (${Date.now() - wall} ms wall)`);
  // Let topology control finish shaping the mesh, then measure steady-state control traffic
  // over a window that includes a full advert refresh period.
  await net.run(o.settleMs ?? 20_000);
  const steadyMs = o.steadyMs ?? 60_000;
  const ctl0 = sumControlOut(net);
  await net.run(steadyMs);
  const controlPerNodePerSec = (sumControlOut(net) - ctl0) / net.alive().length / (steadyMs / 1000);
  const g = globalGraph(net);
  const graph = graphFigures(g, net.rng);
  const stretch = routeStretch(net, g, connectedPairs(net, Math.min(500, o.nodes * 2)));
  const pairs = o.pairs ?? 300;
  const broadcasts = o.broadcasts ?? 10;
  const statics = await probe(net, pairs, broadcasts);
  log(`static probe done (${Date.now() - wall} ms wall)`);

  const report: SimReport = {
    nodes: o.nodes,
    seed,
    loss,
    churn,
    convergenceMs,
    controlPerNodePerSec,
    graph,
    stretch,
    static: statics,
    wallMs: 0,
    events: 0,
    realVerifies: 0,
    memoHits: 0,
  };
  if (churn > 0) {
    report.churned = await churnPhase(net, {
      churn,
      windowMs: o.churnWindowMs ?? 60_000,
      pairs,
      broadcasts,
    });
    log(`churn phase done (${Date.now() - wall} ms wall)`);
    const reconvergedMs = await untilConverged(net, o.maxConvergeMs ?? 120_000);
    await net.run(5_000);
    const after = await probe(net, pairs, broadcasts);
    report.after = { ...after, graph: graphFigures(globalGraph(net), net.rng), reconvergedMs };
  }
  for (const n of net.nodes.values()) n.node.close();
  report.wallMs = Date.now() - wall;
  report.events = net.clock.eventsRun;
  report.realVerifies = net.crypto.realVerifies;
  report.memoHits = net.crypto.memoHits;
  return report;
}
