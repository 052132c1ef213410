/**
 * Traffic probes: unicast between random connected pairs and broadcasts from random sources,
 * checked against each node's inbox (an oracle standing in for end-to-end receipts).
 */
import { bfs } from '../../workers/node/mesh/graph-search.ts';
import { globalGraph } from './metrics.ts';
import type { SimNetwork, SimNode } from './network.ts';

export interface ProbeResult {
  unicastSent: number;
  unicastDelivered: number;
  unicastRatio: number;
  broadcasts: number;
  /** Mean share of the source's component (minus the source) that received each broadcast. */
  broadcastCoverage: number;
  /** Link sends per broadcast, to compare with n − 1 (one copy per receiver). */
  sendsPerBroadcast: number;
  nMinus1: number;
}

const body = new Uint8Array(64);

/** Random (a, b) pairs in the same component of the live-link graph. */
export function connectedPairs(net: SimNetwork, count: number): [SimNode, SimNode][] {
  const g = globalGraph(net);
  const alive = net.alive();
  const out: [SimNode, SimNode][] = [];
  const compOf = new Map<string, Int32Array>();
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const a = alive[Math.floor(net.rng() * alive.length)]!;
    const b = alive[Math.floor(net.rng() * alive.length)]!;
    if (a === b) continue;
    let d = compOf.get(a.id);
    if (!d) compOf.set(a.id, (d = bfs(g, g.indexOf(a.id))));
    if (d[g.indexOf(b.id)]! > 0) out.push([a, b]);
  }
  return out;
}

/** Sends `pairs` unicasts and `broadcasts` broadcasts spread over 1 s, then waits `waitMs`. */
export async function probe(
  net: SimNetwork,
  pairs: number,
  broadcasts: number,
  waitMs = 10_000,
): Promise<ProbeResult> {
  const g = globalGraph(net);
  const sent: [SimNode, string][] = [];
  const bcasts: { src: SimNode; msgId: string; audience: SimNode[] }[] = [];
  const sendsBefore = sumBroadcastSends(net);
  for (const [a, b] of connectedPairs(net, pairs)) {
    net.clock.setTimeout(() => {
      if (a.alive && b.alive) sent.push([b, a.node.sendDirect(b.id, body).msgId]);
    }, net.rng() * 1000);
  }
  const alive = net.alive();
  for (let i = 0; i < broadcasts; i++) {
    const src = alive[Math.floor(net.rng() * alive.length)]!;
    const d = bfs(g, g.indexOf(src.id));
    const audience = alive.filter((n) => n !== src && d[g.indexOf(n.id)]! > 0);
    net.clock.setTimeout(() => {
      if (src.alive) bcasts.push({ src, msgId: src.node.broadcast(body).msgId, audience });
    }, net.rng() * 1000);
  }
  await net.run(1000 + waitMs);
  const delivered = sent.filter(([b, id]) => b.inbox.has(id)).length;
  let coverage = 0;
  for (const b of bcasts) {
    const got = b.audience.filter((n) => n.inbox.has(b.msgId)).length;
    coverage += b.audience.length ? got / b.audience.length : 1;
  }
  return {
    unicastSent: sent.length,
    unicastDelivered: delivered,
    unicastRatio: sent.length ? delivered / sent.length : 1,
    broadcasts: bcasts.length,
    broadcastCoverage: bcasts.length ? coverage / bcasts.length : 1,
    sendsPerBroadcast: bcasts.length ? (sumBroadcastSends(net) - sendsBefore) / bcasts.length : 0,
    nMinus1: alive.length - 1,
  };
}

export function sumBroadcastSends(net: SimNetwork): number {
  let s = 0;
  for (const n of net.nodes.values()) s += n.node.stats().broadcastSends;
  return s;
}

export function sumControlOut(net: SimNetwork): number {
  let s = 0;
  for (const n of net.nodes.values()) s += n.node.stats().controlOut;
  return s;
}
