import type { AdvertLink, LinkStateAdvert } from './graph.ts';
import { randomInt, randomPeerId } from './prng.ts';
import type { Rng } from './prng.ts';

export interface RandomGraphOptions {
  /** Average degree (links per node); the graph has round(n·degree/2) links, at least n-1. */
  readonly degree: number;
  /**
   * Integer costs in [1, maxCost] when set (many equal-cost ties, for tie-break tests); otherwise
   * floats in [1, 100).
   */
  readonly maxCost?: number;
  /** Each end advertises its own cost (as measured RTTs differ); default true. */
  readonly asymmetric?: boolean;
  /** Leave the graph as `components` separate connected pieces (default 1). */
  readonly components?: number;
}

export interface RandomGraph {
  readonly ids: string[];
  readonly adverts: LinkStateAdvert[];
}

/**
 * Seeded random mesh: a random spanning tree per component (so it is connected) plus uniformly
 * random extra links up to the target degree. Every link is advertised by both ends.
 * Deterministic for a given rng state, so tests, benchmarks and the simulator can share it.
 */
export function randomGraph(rng: Rng, n: number, options: RandomGraphOptions): RandomGraph {
  const components = Math.max(1, Math.min(n, options.components ?? 1));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(randomPeerId(rng));
  const comp = new Int32Array(n);
  for (let i = 0; i < n; i++) comp[i] = i % components;
  const links: AdvertLink[][] = ids.map(() => []);
  const seen = new Set<number>();
  const cost = (): number =>
    options.maxCost !== undefined ? randomInt(rng, 1, options.maxCost) : 1 + rng() * 99;
  const asymmetric = options.asymmetric ?? true;
  const add = (u: number, v: number): boolean => {
    if (u === v || comp[u] !== comp[v]) return false;
    const key = u < v ? u * n + v : v * n + u;
    if (seen.has(key)) return false;
    seen.add(key);
    const c = cost();
    links[u]!.push({ peer: ids[v]!, cost: c });
    links[v]!.push({ peer: ids[u]!, cost: asymmetric ? cost() : c });
    return true;
  };
  // Spanning tree: node i joins a random earlier node of its own component.
  for (let i = components; i < n; i++) {
    const earlier = Math.floor((i - comp[i]!) / components);
    add(i, comp[i]! + components * randomInt(rng, 0, earlier - 1));
  }
  const target = Math.max(n - components, Math.round((n * options.degree) / 2));
  let count = n - components;
  // Bounded attempts: tiny components may not hold `target` distinct links.
  for (let tries = 0; count < target && tries < target * 20; tries++) {
    if (add(randomInt(rng, 0, n - 1), randomInt(rng, 0, n - 1))) count++;
  }
  return { ids, adverts: ids.map((origin, i) => ({ origin, links: links[i]! })) };
}
