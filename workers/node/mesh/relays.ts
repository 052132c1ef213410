/**
 * Flooding plan for one copy of a broadcast or advert, in the spirit of OLSR multipoint relays:
 *
 * - targets: our neighbours except the previous hop and those that are (two-way) neighbours of
 *   the previous hop — the previous hop sent the same copy to them already;
 * - relays: a greedy set cover, drawn from the targets, of our 2-hop neighbourhood (from the
 *   link-state database) minus the previous hop's 1- and 2-hop neighbourhoods: the previous hop
 *   reached the first itself and chose relays covering the second (total dominant pruning —
 *   with plain MPR each relay re-covers what its selector's other relays cover, and in a sparse
 *   random mesh nearly every node ends up forwarding). Only relays re-forward.
 *
 * - sends: a target adjacent to one of the previous hop's other relays with a smaller id is left
 *   to that relay, so most nodes receive a single copy.
 *
 * A neighbour whose advert we lack, or whose advert does not list us yet, is always a relay:
 * with an incomplete picture the plan degrades to plain flooding instead of losing coverage.
 */
import type { LinkStateDb } from './lsdb.ts';
import { MAX_RELAYS } from '../../../src/protocol/frame.ts';

export interface FloodPlan {
  targets: string[];
  relays: string[];
}

export function planFlood(
  self: string,
  neighbours: readonly string[],
  prev: string | undefined,
  prevRelays: readonly string[],
  lsdb: LinkStateDb,
): FloodPlan {
  const prevPeers = prev === undefined ? undefined : lsdb.peersOf(prev);
  const reachedByPrev = (x: string): boolean =>
    x === prev ||
    (prevPeers !== undefined && prevPeers.has(x) && (lsdb.peersOf(x)?.has(prev!) ?? false));

  // The previous hop's 2-hop neighbourhood: covered by the relays it chose.
  const coveredByPrev = new Set<string>();
  if (prevPeers !== undefined) {
    for (const x of prevPeers.keys()) {
      if (!reachedByPrev(x)) continue;
      for (const z of lsdb.peersOf(x)!.keys()) coveredByPrev.add(z);
    }
  }

  // The previous hop's other relays with smaller ids cover their own 1- and 2-hop
  // neighbourhoods: without this split, every relay re-covers the same frontier and most of a
  // sparse mesh ends up forwarding.
  const others = prevRelays.filter((r) => r !== self && r < self);
  for (const r of others) {
    const rPeers = lsdb.peersOf(r);
    if (rPeers === undefined) continue;
    for (const x of rPeers.keys()) {
      if (!lsdb.linked(r, x)) continue;
      coveredByPrev.add(x);
      for (const z of lsdb.peersOf(x)!.keys()) coveredByPrev.add(z);
    }
  }

  const targets: string[] = [];
  for (const n of neighbours) if (!reachedByPrev(n)) targets.push(n);

  const mine = new Set(neighbours);
  const relays: string[] = [];
  const covers: { id: string; set: string[] }[] = [];
  const uncovered = new Set<string>();
  for (const y of targets) {
    const yPeers = lsdb.peersOf(y);
    if (yPeers === undefined || !yPeers.has(self)) {
      relays.push(y);
      continue;
    }
    const set: string[] = [];
    for (const z of yPeers.keys()) {
      if (z === self || mine.has(z) || reachedByPrev(z) || coveredByPrev.has(z)) continue;
      set.push(z);
      uncovered.add(z);
    }
    if (set.length) covers.push({ id: y, set });
  }
  // Forced relays already cover whatever they know; we cannot tell what, so nothing is removed.
  while (uncovered.size > 0 && covers.length > 0) {
    let best = -1;
    let bestGain = 0;
    for (let i = 0; i < covers.length; i++) {
      let gain = 0;
      for (const z of covers[i]!.set) if (uncovered.has(z)) gain++;
      if (gain > bestGain || (gain === bestGain && gain > 0 && covers[i]!.id < covers[best]!.id)) {
        best = i;
        bestGain = gain;
      }
    }
    if (best < 0) break;
    const chosen = covers.splice(best, 1)[0]!;
    relays.push(chosen.id);
    for (const z of chosen.set) uncovered.delete(z);
  }
  const chosen = relays.slice(0, MAX_RELAYS);
  // Among the previous hop's relays, the smallest id adjacent to a node sends to it; the others
  // skip it. Our own relays always get a copy naming them (they may have heard it unnamed first).
  if (others.length === 0) return { targets, relays: chosen };
  const mustSend = new Set(chosen);
  const sendTo = targets.filter((z) => mustSend.has(z) || !others.some((r) => lsdb.linked(r, z)));
  return { targets: sendTo, relays: chosen };
}
