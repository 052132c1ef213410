/**
 * Flooding plan for one copy of a broadcast or advert, in the spirit of OLSR multipoint relays:
 *
 * - targets: our neighbours except the previous hop and those that are (two-way) neighbours of
 *   the previous hop — the previous hop sent the same copy to them already;
 * - relays: a greedy set cover, drawn from the targets, of our 2-hop neighbourhood (from the
 *   link-state database) minus what the previous hop reached directly. Only relays re-forward.
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
  lsdb: LinkStateDb,
): FloodPlan {
  const prevPeers = prev === undefined ? undefined : lsdb.peersOf(prev);
  const reachedByPrev = (x: string): boolean =>
    x === prev ||
    (prevPeers !== undefined && prevPeers.has(x) && (lsdb.peersOf(x)?.has(prev!) ?? false));

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
      if (z === self || mine.has(z) || reachedByPrev(z)) continue;
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
  return { targets, relays: relays.slice(0, MAX_RELAYS) };
}
