import { MeshError } from '../../../src/protocol/errors.ts';

/** One link as its origin advertises it (cost from measured RTT/loss; lower is better). */
export interface AdvertLink {
  readonly peer: string;
  readonly cost: number;
}

/** The latest link-state advert of one node: its own view of its direct links. */
export interface LinkStateAdvert {
  readonly origin: string;
  readonly links: Iterable<AdvertLink>;
}

export interface AdjacencyEntry {
  readonly to: string;
  readonly cost: number;
}

/** `origin → links it claims`; the same semantics as a set of adverts. */
export type Adjacency = ReadonlyMap<string, Iterable<AdjacencyEntry>>;

export interface GraphOptions {
  /**
   * Use a link only when both ends advertise it (default `true`, the usual link-state two-way
   * check): a one-sided claim — a stale advert, or a node pretending to neighbour a peer to
   * attract its traffic — must not create a route. With `false`, a link claimed by either end is
   * used (both directions, at the claimed cost), which only suits trusted simulations.
   */
  readonly requireBidirectional?: boolean;
}

/**
 * An immutable, undirected peer graph in CSR form: the neighbours of node `i` are
 * `targets[offsets[i] .. offsets[i+1])` with link costs in `costs` at the same positions.
 *
 * Invariants the router relies on:
 * - ids are sorted (UTF-16 code-unit order), so index order is id order and tie-breaks on "the
 *   smaller id" compare plain integers; the same set of adverts always yields the same arrays,
 *   whatever order they arrive in.
 * - every link appears once in each direction with the same cost; no self-loops, no duplicates.
 * - costs are finite and ≥ 0 (Dijkstra's precondition).
 *
 * The cost of a link is the MAX of the two advertised costs: a route is only as good as its
 * worse direction (loss is often asymmetric), and a node cannot make a link look cheaper than
 * its neighbour measured it, so lying low does not pull traffic through it (with a mean it could
 * halve any of its links by advertising 0).
 */
export class PeerGraph {
  private constructor(
    /** Dense index → peer id, sorted ascending. */
    readonly ids: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    readonly offsets: Int32Array,
    readonly targets: Int32Array,
    readonly costs: Float64Array,
  ) {}

  /** Number of peers (every id that advertised or was named in an advert). */
  get size(): number {
    return this.ids.length;
  }

  /** Number of undirected links in use. */
  get linkCount(): number {
    return this.targets.length / 2;
  }

  /** Dense index of `id`, or -1 if unknown. O(1). */
  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Peer id at a dense index; throws on an out-of-range index (a caller bug, not input). */
  idOf(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new MeshError('internal', `no peer at index ${index}`);
    return id;
  }

  /** Links in use at `id` (empty for an unknown id), in ascending peer-id order. */
  neighbors(id: string): AdvertLink[] {
    const i = this.indexOf(id);
    if (i < 0) return [];
    const out: AdvertLink[] = [];
    for (let e = this.offsets[i]!; e < this.offsets[i + 1]!; e++) {
      out.push({ peer: this.ids[this.targets[e]!]!, cost: this.costs[e]! });
    }
    return out;
  }

  /**
   * Builds the graph from the link-state database (one advert per origin; several adverts for
   * one origin are merged). A peer named twice by one origin keeps the lowest claimed cost.
   * Self-links are ignored. Throws `MeshError('bad-message')` on a negative, NaN or infinite cost
   * (parse adverts at the edge; this is the last line of defence for Dijkstra's precondition).
   * O(L log N) for L claimed links over N peers (the log is the id sort).
   */
  static fromAdverts(adverts: Iterable<LinkStateAdvert>, options: GraphOptions = {}): PeerGraph {
    const requireBoth = options.requireBidirectional ?? true;
    // Pass 1 keeps references only (no per-claim allocation): the id sort must precede interning.
    const origins: string[] = [];
    const rows: Array<readonly AdvertLink[]> = [];
    const names = new Set<string>();
    let claimed = 0;
    for (const advert of adverts) {
      const links = Array.isArray(advert.links)
        ? (advert.links as readonly AdvertLink[])
        : [...advert.links];
      names.add(advert.origin);
      for (let k = 0; k < links.length; k++) {
        const link = links[k]!;
        if (!(link.cost >= 0) || link.cost === Infinity) {
          throw new MeshError(
            'bad-message',
            `link ${advert.origin}→${link.peer} has invalid cost ${link.cost}`,
          );
        }
        names.add(link.peer);
      }
      origins.push(advert.origin);
      rows.push(links);
      claimed += links.length;
    }
    const ids = [...names].sort();
    const index = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) index.set(ids[i]!, i);
    const claims = claimRows(ids.length, origins, rows, claimed, index);
    const csr = linkCsr(ids.length, claims, requireBoth);
    return new PeerGraph(ids, index, csr.offsets, csr.targets, csr.costs);
  }

  static fromAdjacency(adjacency: Adjacency, options: GraphOptions = {}): PeerGraph {
    const adverts: LinkStateAdvert[] = [];
    for (const [origin, entries] of adjacency) {
      const links: AdvertLink[] = [];
      for (const e of entries) links.push({ peer: e.to, cost: e.cost });
      adverts.push({ origin, links });
    }
    return PeerGraph.fromAdverts(adverts, options);
  }
}

interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
  costs: Float64Array;
}

/** Directed claims as CSR, each row sorted by target with duplicates collapsed to the min cost. */
function claimRows(
  n: number,
  origins: readonly string[],
  rows: ReadonlyArray<readonly AdvertLink[]>,
  claimed: number,
  index: ReadonlyMap<string, number>,
): Csr {
  const src = new Int32Array(origins.length);
  const counts = new Int32Array(n + 1);
  for (let r = 0; r < origins.length; r++) {
    const u = index.get(origins[r]!)!;
    src[r] = u;
    counts[u + 1]! += rows[r]!.length;
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const fill = counts.slice(0, n);
  const targets = new Int32Array(claimed);
  const costs = new Float64Array(claimed);
  // Self-links are written too (as u→u) and dropped in the dedupe pass below.
  for (let r = 0; r < origins.length; r++) {
    const row = rows[r]!;
    let at = fill[src[r]!]!;
    for (let k = 0; k < row.length; k++, at++) {
      targets[at] = index.get(row[k]!.peer)!;
      costs[at] = row[k]!.cost;
    }
    fill[src[r]!] = at;
  }
  const offsets = new Int32Array(n + 1);
  let w = 0;
  for (let u = 0; u < n; u++) {
    const lo = counts[u]!;
    const hi = counts[u + 1]!;
    sortRow(targets, costs, lo, hi);
    offsets[u] = w;
    for (let i = lo; i < hi; i++) {
      if (targets[i] === u) continue;
      if (w > offsets[u]! && targets[w - 1] === targets[i]) {
        if (costs[i]! < costs[w - 1]!) costs[w - 1] = costs[i]!;
      } else {
        targets[w] = targets[i]!;
        costs[w] = costs[i]!;
        w++;
      }
    }
  }
  offsets[n] = w;
  return { offsets, targets: targets.subarray(0, w), costs: costs.subarray(0, w) };
}

/** Rows are small (degree-bounded), so insertion sort in place beats allocating per row. */
function sortRow(targets: Int32Array, costs: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const t = targets[i]!;
    const c = costs[i]!;
    let j = i - 1;
    while (j >= lo && targets[j]! > t) {
      targets[j + 1] = targets[j]!;
      costs[j + 1] = costs[j]!;
      j--;
    }
    targets[j + 1] = t;
    costs[j + 1] = c;
  }
}

/** Cost of the claim u→v in sorted claim rows, or -1 when u does not claim v. */
function claimCost(c: Csr, u: number, v: number): number {
  let lo = c.offsets[u]!;
  let hi = c.offsets[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = c.targets[mid]!;
    if (t === v) return c.costs[mid]!;
    if (t < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Symmetric link CSR from directed claims (two-way check and max-cost rule applied). */
function linkCsr(n: number, claims: Csr, requireBoth: boolean): Csr {
  const m = claims.targets.length;
  const eu = new Int32Array(m);
  const ev = new Int32Array(m);
  const ec = new Float64Array(m);
  let links = 0;
  for (let u = 0; u < n; u++) {
    for (let e = claims.offsets[u]!; e < claims.offsets[u + 1]!; e++) {
      const v = claims.targets[e]!;
      const c = claims.costs[e]!;
      const back = claimCost(claims, v, u);
      if (back >= 0) {
        // Both ends claim it: emit once, from the lower index.
        if (u < v) {
          eu[links] = u;
          ev[links] = v;
          ec[links++] = c > back ? c : back;
        }
      } else if (!requireBoth) {
        eu[links] = u;
        ev[links] = v;
        ec[links++] = c;
      }
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < links; k++) {
    offsets[eu[k]! + 1]!++;
    offsets[ev[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(2 * links);
  const costs = new Float64Array(2 * links);
  for (let k = 0; k < links; k++) {
    const u = eu[k]!;
    const v = ev[k]!;
    let at = fill[u]!++;
    targets[at] = v;
    costs[at] = ec[k]!;
    at = fill[v]!++;
    targets[at] = u;
    costs[at] = ec[k]!;
  }
  // Two-way links are emitted in (lower, higher) index order, which leaves every row sorted;
  // one-sided links are emitted from the claimant's row and may land out of order.
  if (!requireBoth)
    for (let i = 0; i < n; i++) sortRow(targets, costs, offsets[i]!, offsets[i + 1]!);
  return { offsets, targets, costs };
}
