/**
 * In-memory LRU cache with TTL, an entry-count and an estimated-byte bound, and invalidation by
 * key, by key prefix and by dependency. It is the L1 of tiered-cache.ts (public keys, the peer
 * directory, route results) and has no I/O of its own.
 *
 * Dependencies: an entry may declare keys it was derived from (`dependsOn`); invalidating any of
 * them invalidates the entry, transitively. A dependency need not be cached itself: route results
 * can depend on a 'topology' key that only ever gets invalidated. Cycles are safe (visited set).
 * Capacity eviction and TTL expiry do not cascade: they mean "forgotten", not "changed".
 */
import { estimateBytes } from './size-estimate.ts';

export type EvictReason = 'capacity' | 'expired' | 'invalidated' | 'replaced';

export interface LruCacheOptions<V> {
  /** Default 1000. */
  maxEntries?: number;
  /** Upper bound on the sum of entry sizes; default unbounded. */
  maxBytes?: number;
  /** Default time to live; default forever. */
  ttlMs?: number;
  /** Entry size in bytes; default estimateBytes(value) + key. */
  sizeOf?: (value: V, key: string) => number;
  /** Injectable clock (tests). */
  now?: () => number;
  onEvict?: (key: string, value: V, reason: EvictReason) => void;
}

export interface CacheSetOptions {
  ttlMs?: number;
  dependsOn?: readonly string[];
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  size: number;
  dependsOn: readonly string[];
}

export class LruCache<V> {
  // Map iteration order is insertion order: the first key is the least recently used.
  readonly #entries = new Map<string, Entry<V>>();
  /** dependency key → keys of entries that declared it. */
  readonly #dependents = new Map<string, Set<string>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #sizeOf: (value: V, key: string) => number;
  readonly #now: () => number;
  readonly #onEvict: LruCacheOptions<V>['onEvict'];
  #bytes = 0;

  constructor(opts: LruCacheOptions<V> = {}) {
    this.#maxEntries = opts.maxEntries ?? 1000;
    this.#maxBytes = opts.maxBytes ?? Infinity;
    this.#ttlMs = opts.ttlMs ?? Infinity;
    this.#sizeOf = opts.sizeOf ?? ((v, k) => estimateBytes(v) + 2 * k.length);
    this.#now = opts.now ?? Date.now;
    this.#onEvict = opts.onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Keys from least to most recently used (expired entries included until touched). */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** The value, refreshing its recency; undefined if absent or expired. */
  get(key: string): V | undefined {
    const e = this.#live(key);
    if (!e) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.value;
  }

  /** The value without touching recency. */
  peek(key: string): V | undefined {
    return this.#live(key)?.value;
  }

  has(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  /**
   * Caches `value` as most recently used, evicting least recently used entries past the bounds.
   * Returns false (and drops any old value) when the entry alone exceeds maxBytes.
   */
  set(key: string, value: V, opts: CacheSetOptions = {}): boolean {
    if (this.#entries.has(key)) this.#remove(key, 'replaced');
    const size = this.#sizeOf(value, key);
    if (size > this.#maxBytes || this.#maxEntries <= 0) return false;
    const ttl = opts.ttlMs ?? this.#ttlMs;
    const dependsOn = [...new Set(opts.dependsOn ?? [])];
    this.#entries.set(key, { value, expiresAt: this.#now() + ttl, size, dependsOn });
    this.#bytes += size;
    for (const dep of dependsOn) {
      let set = this.#dependents.get(dep);
      if (!set) this.#dependents.set(dep, (set = new Set()));
      set.add(key);
    }
    this.#evictOverflow();
    return true;
  }

  /** Removes `key` and, transitively, everything that depends on it. Returns the keys removed. */
  invalidate(key: string): string[] {
    return this.#cascade([key]);
  }

  /** Invalidates every key starting with `prefix`, with their dependents. */
  invalidatePrefix(prefix: string): string[] {
    const roots = [...this.#entries.keys(), ...this.#dependents.keys()].filter((k) =>
      k.startsWith(prefix),
    );
    return this.#cascade(roots);
  }

  /** Drops every expired entry now (otherwise they go lazily, when touched or evicted). */
  prune(): number {
    const t = this.#now();
    let n = 0;
    for (const [key, e] of this.#entries) {
      if (e.expiresAt <= t) {
        this.#remove(key, 'expired');
        n++;
      }
    }
    return n;
  }

  clear(): void {
    for (const key of [...this.#entries.keys()]) this.#remove(key, 'invalidated');
  }

  #live(key: string): Entry<V> | undefined {
    const e = this.#entries.get(key);
    if (e && e.expiresAt <= this.#now()) {
      this.#remove(key, 'expired');
      return undefined;
    }
    return e;
  }

  #cascade(roots: readonly string[]): string[] {
    const removed: string[] = [];
    const visited = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (visited.has(key)) continue;
      visited.add(key);
      // Read dependents before removing: removal unlinks edges, and a dependency that is not
      // itself cached still fans out.
      const deps = this.#dependents.get(key);
      if (deps) stack.push(...deps);
      if (this.#entries.has(key)) {
        this.#remove(key, 'invalidated');
        removed.push(key);
      }
    }
    return removed;
  }

  #evictOverflow(): void {
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) return;
      this.#remove(oldest.value, 'capacity');
    }
  }

  #remove(key: string, reason: EvictReason): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#bytes -= e.size;
    for (const dep of e.dependsOn) {
      const set = this.#dependents.get(dep);
      set?.delete(key);
      if (set?.size === 0) this.#dependents.delete(dep);
    }
    this.#onEvict?.(key, e.value, reason);
  }
}
