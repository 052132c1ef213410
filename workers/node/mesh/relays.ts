/**
 * Multipoint relays (OLSR, RFC 3626 §8.3) for flooding adverts, and for broadcasts whose source
 * is not in our link-state picture yet.
 *
 * - Our MPR set: a greedy set cover, drawn from our neighbours, of our strict 2-hop
 *   neighbourhood (from our neighbours' adverts). It depends on our neighbourhood only, so it is
 *   cached and recomputed only when our links or a neighbour's advert change, not per frame.
 * - A copy goes to our neighbours except the previous hop and its two-way neighbours (the
 *   previous hop sent the same copy to them), plus always to our MPRs, named as relays in the
 *   copy. Only a node named by the sender of a copy it receives re-forwards.
 *
 * A neighbour whose advert we lack, or whose advert does not list us yet, is always a relay:
 * with an incomplete picture the plan degrades to plain flooding instead of losing coverage.
 */
import { MAX_RELAYS } from '../../../src/protocol/frame.ts';
import type { LinkStateDb } from './lsdb.ts';

export interface FloodPlan {
  targets: string[];
  relays: string[];
  /** Only the gaps of someone else's plan were covered: a later copy naming us still has a duty. */
  partial?: boolean;
}

/** The MPR set of `self`: forced relays first, then the greedy cover of the 2-hop set. */
export function selectMprs(
  self: string,
  neighbours: readonly string[],
  lsdb: LinkStateDb,
): string[] {
  const mine = new Set(neighbours);
  const relays: string[] = [];
  const covers: { id: string; set: string[] }[] = [];
  const uncovered = new Set<string>();
  for (const y of neighbours) {
    if (!lsdb.peersOf(y)?.has(self)) {
      relays.push(y);
      continue;
    }
    // y's CLAIMED peers, not just confirmed ones: a node whose own advert has not reached us
    // yet must still be covered (the two-way check is for routing, not for reach).
    const set: string[] = [];
    for (const z of lsdb.peersOf(y)!.keys()) if (z !== self && !mine.has(z)) set.push(z);
    for (const z of set) uncovered.add(z);
    if (set.length) covers.push({ id: y, set });
  }
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
  return relays.slice(0, MAX_RELAYS);
}

/** Caches selectMprs until our neighbour list or one of our neighbours' adverts changes. */
export class MprCache {
  private neighbours: readonly string[] | undefined;
  private lists: (Map<string, number> | undefined)[] = [];
  private mprs: string[] = [];

  get(self: string, neighbours: readonly string[], lsdb: LinkStateDb): string[] {
    const lists = neighbours.map((n) => lsdb.peersOf(n));
    const fresh =
      neighbours === this.neighbours &&
      lists.length === this.lists.length &&
      lists.every((l, i) => l === this.lists[i]);
    if (!fresh) {
      this.neighbours = neighbours;
      this.lists = lists;
      this.mprs = selectMprs(self, neighbours, lsdb);
    }
    return this.mprs;
  }
}

export function planFlood(
  neighbours: readonly string[],
  prev: string | undefined,
  mprs: readonly string[],
  lsdb: LinkStateDb,
): FloodPlan {
  const sentByPrev = prev === undefined ? undefined : new Set(lsdb.twoWay(prev));
  const relays = mprs.filter((m) => m !== prev);
  const named = new Set(relays);
  const targets = neighbours.filter(
    (n) => n !== prev && (named.has(n) || sentByPrev === undefined || !sentByPrev.has(n)),
  );
  return { targets, relays };
}
