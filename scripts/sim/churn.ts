/**
 * The churn phase: nodes leave (half gracefully, half by vanishing) and new ones join while
 * traffic flows. A unicast counts when both ends stay alive for its whole delivery window
 * (a message to a peer that left is the outbox's business, not a routing failure).
 *
 * Two unicast figures: a single attempt (what the core alone achieves), and with an emulated
 * outbox: the sender retries every `retryMs` until a receipt (the oracle) arrives, at most
 * `retries` times — what the user sees, since messages wait in the outbox until delivered.
 */
import type { SimNetwork, SimNode } from './network.ts';

export interface ChurnResult {
  left: number;
  joined: number;
  unicastSent: number;
  unicastFirstAttempt: number;
  unicastWithRetry: number;
  ratioFirstAttempt: number;
  ratioWithRetry: number;
  broadcasts: number;
  broadcastCoverage: number;
}

const body = new Uint8Array(64);

export async function churnPhase(
  net: SimNetwork,
  o: {
    churn: number;
    windowMs: number;
    pairs: number;
    broadcasts: number;
    retryMs?: number;
    retries?: number;
  },
): Promise<ChurnResult> {
  const start = net.clock.now();
  const leaves = Math.round(o.churn * net.alive().length);
  const retryMs = o.retryMs ?? 3_000;
  const retries = o.retries ?? 3;
  const windowEnd = retryMs * (retries + 1) + 2_000;
  let joined = 0;
  await net.prepare(leaves);
  for (let i = 0; i < leaves; i++) {
    net.clock.setTimeout(() => {
      const alive = net.alive();
      net.leave(alive[Math.floor(net.rng() * alive.length)]!, net.rng() < 0.5);
      net.joinNow();
      joined++;
    }, net.rng() * o.windowMs);
  }
  type Msg = { a: SimNode; b: SimNode; at: number; ids: string[] };
  const msgs: Msg[] = [];
  const attempt = (m: Msg, left: number) => {
    if (!m.a.alive || !m.b.alive || m.ids.some((id) => m.b.inbox.has(id))) return;
    m.ids.push(m.a.node.sendDirect(m.b.id, body).msgId);
    if (left > 0) net.clock.setTimeout(() => attempt(m, left - 1), retryMs);
  };
  for (let i = 0; i < o.pairs; i++) {
    net.clock.setTimeout(() => {
      const alive = net.alive();
      const a = alive[Math.floor(net.rng() * alive.length)]!;
      const b = alive[Math.floor(net.rng() * alive.length)]!;
      if (a === b) return;
      const m: Msg = { a, b, at: net.clock.now(), ids: [] };
      msgs.push(m);
      attempt(m, retries);
    }, net.rng() * o.windowMs);
  }
  const bcasts: { src: SimNode; id: string; audience: SimNode[] }[] = [];
  for (let i = 0; i < o.broadcasts; i++) {
    net.clock.setTimeout(() => {
      const alive = net.alive();
      const src = alive[Math.floor(net.rng() * alive.length)]!;
      bcasts.push({
        src,
        id: src.node.broadcast(body).msgId,
        audience: alive.filter((n) => n !== src),
      });
    }, net.rng() * o.windowMs);
  }
  // Who is still alive at each message's deadline is decided by watching: record departures.
  const departedAt = new Map<string, number>();
  const origLeave = net.leave.bind(net);
  net.leave = (sn, graceful) => {
    departedAt.set(sn.id, net.clock.now());
    origLeave(sn, graceful);
  };
  await net.run(o.windowMs + windowEnd);
  net.leave = origLeave;
  const survives = (n: SimNode, until: number) => (departedAt.get(n.id) ?? Infinity) > until;
  const counted = msgs.filter(
    (m) => survives(m.a, m.at + windowEnd) && survives(m.b, m.at + windowEnd),
  );
  const first = counted.filter((m) => m.ids.length > 0 && m.b.inbox.has(m.ids[0]!)).length;
  const withRetry = counted.filter((m) => m.ids.some((id) => m.b.inbox.has(id))).length;
  let coverage = 0;
  for (const b of bcasts) {
    const stayed = b.audience.filter((n) => survives(n, start + o.windowMs + windowEnd));
    coverage += stayed.length ? stayed.filter((n) => n.inbox.has(b.id)).length / stayed.length : 1;
  }
  return {
    left: leaves,
    joined,
    unicastSent: counted.length,
    unicastFirstAttempt: first,
    unicastWithRetry: withRetry,
    ratioFirstAttempt: counted.length ? first / counted.length : 1,
    ratioWithRetry: counted.length ? withRetry / counted.length : 1,
    broadcasts: bcasts.length,
    broadcastCoverage: bcasts.length ? coverage / bcasts.length : 1,
  };
}
