/**
 * A read-through, write-through cache: L1 is the in-memory LruCache, L2 an async source of truth
 * (IndexedDB via the stores, or any loader). Concurrent misses for one key share one L2 load.
 *
 * Invalidation clears L1 only (L2 is the truth; call `delete` to remove from both). A load that
 * was in flight while anything was invalidated is returned to its callers but not cached, so an
 * invalidation can never be undone by a slow load that read the old value.
 */
import { LruCache, type CacheSetOptions, type LruCacheOptions } from './cache.ts';

export interface L2Store<V> {
  load(key: string): Promise<V | undefined>;
  store?(key: string, value: V): Promise<void>;
  remove?(key: string): Promise<void>;
}

export interface TieredCacheOptions<V> extends LruCacheOptions<V> {
  l2: L2Store<V>;
  /** Keys a loaded value depends on (e.g. a route result on 'topology'). */
  dependsOn?: (key: string, value: V) => readonly string[];
}

export class TieredCache<V> {
  readonly l1: LruCache<V>;
  readonly #l2: L2Store<V>;
  readonly #dependsOn: TieredCacheOptions<V>['dependsOn'];
  readonly #inflight = new Map<string, Promise<V | undefined>>();
  #generation = 0;

  constructor(opts: TieredCacheOptions<V>) {
    this.l1 = new LruCache(opts);
    this.#l2 = opts.l2;
    this.#dependsOn = opts.dependsOn;
  }

  /** L1 hit, else one shared L2 load that fills L1. Misses (undefined) are not cached. */
  get(key: string): Promise<V | undefined> {
    const hit = this.l1.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const load = this.#l2.load(key).then(
      (value) => {
        if (this.#inflight.get(key) === load) this.#inflight.delete(key);
        if (value !== undefined && generation === this.#generation) {
          this.l1.set(key, value, { dependsOn: this.#dependsOn?.(key, value) });
        }
        return value;
      },
      (e: unknown) => {
        if (this.#inflight.get(key) === load) this.#inflight.delete(key);
        throw e;
      },
    );
    this.#inflight.set(key, load);
    return load;
  }

  /**
   * Writes L2 first (if that fails, L1 is untouched and the error propagates), then replaces the
   * L1 entry; what depended on the old value is invalidated.
   */
  async set(key: string, value: V, opts?: CacheSetOptions): Promise<void> {
    await this.#l2.store?.(key, value);
    this.invalidate(key);
    this.l1.set(key, value, opts ?? { dependsOn: this.#dependsOn?.(key, value) });
  }

  /** Removes from L2 and L1 (with dependents). */
  async delete(key: string): Promise<void> {
    await this.#l2.remove?.(key);
    this.invalidate(key);
  }

  invalidate(key: string): string[] {
    this.#bumpGeneration();
    return this.l1.invalidate(key);
  }

  invalidatePrefix(prefix: string): string[] {
    this.#bumpGeneration();
    return this.l1.invalidatePrefix(prefix);
  }

  #bumpGeneration(): void {
    // In-flight loads may have read pre-invalidation data: let later gets start fresh ones.
    this.#generation++;
    this.#inflight.clear();
  }
}
