/**
 * Where a node sends its copy of a flooded frame (broadcast or advert):
 *
 * - Tree mode (the source and we are in our link-state picture): our children in the
 *   source-rooted tree (broadcast-tree.ts), plus neighbours whose adverts do not show the link
 *   to us yet (fresh links no tree covers). Every node in the picture forwards along its own
 *   tree, whether or not the copy named it.
 * - Relay mode (the source or we are missing from our picture, e.g. in the first seconds of a
 *   node's life): the multipoint-relay plan (relays.ts) — but only if the copy named us relay.
 *
 * A copy always names the nodes we expect to forward (children, or relays), so a receiver in
 * relay mode knows its duty. Holes left by pictures that disagree for a moment are healed by
 * the periodic database sync (adverts.ts) and, for user messages, by the outbox.
 */
import { BroadcastTrees } from './broadcast-tree.ts';
import type { MeshCore } from './core.ts';
import type { FloodPlan } from './relays.ts';

export interface CopyFrom {
  from: string;
  relays: readonly string[];
  named: boolean;
}

export class Relaying {
  private readonly trees = new BroadcastTrees();

  constructor(private readonly core: MeshCore) {}

  /**
   * undefined: no duty (relay mode and not named; a later named copy may still give one).
   * `tree` false forces relay mode: adverts use it, because they are what makes pictures agree
   * in the first place — a tree drawn from pictures that still disagree (a flash crowd, churn)
   * orphans nodes, and an advert lost that way stays lost until a refresh or sync.
   */
  plan(src: string, prev: CopyFrom | undefined, tree = true): FloodPlan | undefined {
    const { core } = this;
    const kids = tree ? this.trees.children(core.forwardingTable().graph, src, core.me) : undefined;
    if (kids === undefined) {
      if (prev !== undefined && !prev.named) return tree ? undefined : this.gaps(src, prev);
      return core.floodPlan(prev?.from);
    }
    const targets = kids.filter((k) => core.sessions.has(k));
    for (const n of core.neighbourIds()) {
      if (n === prev?.from || n === src || targets.includes(n)) continue;
      if (!core.lsdb.peersOf(n)?.has(core.me)) targets.push(n);
    }
    return { targets, relays: targets };
  }

  /**
   * An advert copy that did not name us: the sender chose its relays from its picture of our
   * links, which may predate a link of ours (a line of nodes linking up one after another: the
   * far end's advert stopped one hop short and stayed lost until the minute-long database sync).
   * Cover any neighbour of ours that, as we see it, neither the sender nor a relay it named is
   * linked to. In a settled mesh the pictures agree and this sends nothing.
   */
  private gaps(src: string, prev: CopyFrom): FloodPlan | undefined {
    const { lsdb } = this.core;
    const adjacent = (a: string, b: string): boolean =>
      lsdb.peersOf(a)?.has(b) === true || lsdb.peersOf(b)?.has(a) === true;
    const targets = this.core
      .neighbourIds()
      .filter(
        (z) =>
          z !== prev.from &&
          z !== src &&
          !adjacent(prev.from, z) &&
          !prev.relays.some((r) => r === z || adjacent(r, z)),
      );
    return targets.length > 0 ? { targets, relays: targets, partial: true } : undefined;
  }
}
