import { describe, expect, it } from 'vitest';
import { LruCache, type EvictReason } from './cache.ts';
import { estimateBytes } from './size-estimate.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('LruCache', () => {
  it('evicts the least recently used entry past maxEntries; get refreshes recency', () => {
    const evicted: [string, EvictReason][] = [];
    const c = new LruCache<number>({ maxEntries: 3, onEvict: (k, _v, r) => evicted.push([k, r]) });
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(c.get('a')).toBe(1); // a is now most recent
    c.set('d', 4);
    expect(c.keys()).toEqual(['c', 'a', 'd']);
    expect(evicted).toEqual([['b', 'capacity']]);
    expect(c.peek('c')).toBe(3); // peek does not refresh
    c.set('e', 5);
    expect(c.has('c')).toBe(false);
    expect(c.size).toBe(3);
  });

  it('expires entries after their TTL (default or per entry)', () => {
    const t = clock();
    const c = new LruCache<string>({ ttlMs: 100, now: t.now });
    c.set('short', 's', { ttlMs: 10 });
    c.set('default', 'd');
    t.advance(10);
    expect(c.get('short')).toBeUndefined();
    expect(c.get('default')).toBe('d');
    t.advance(89);
    expect(c.has('default')).toBe(true);
    t.advance(1);
    expect(c.has('default')).toBe(false);
    c.set('x', 'x');
    c.set('y', 'y', { ttlMs: 5 });
    t.advance(5);
    expect(c.prune()).toBe(1);
    expect(c.keys()).toEqual(['x']);
  });

  it('bounds total estimated bytes and refuses single entries that are too large', () => {
    const c = new LruCache<Uint8Array>({ maxBytes: 100, sizeOf: (v) => v.byteLength });
    c.set('a', new Uint8Array(40));
    c.set('b', new Uint8Array(40));
    expect(c.bytes).toBe(80);
    c.set('c', new Uint8Array(40));
    expect(c.keys()).toEqual(['b', 'c']);
    expect(c.bytes).toBe(80);
    expect(c.set('huge', new Uint8Array(101))).toBe(false);
    expect(c.has('huge')).toBe(false);
    c.set('b', new Uint8Array(10)); // replacing frees the old size
    expect(c.bytes).toBe(50);
  });

  it('estimates sizes of structured values, cycles included', () => {
    expect(estimateBytes('abcd')).toBe(8);
    expect(estimateBytes(new Uint8Array(100))).toBeGreaterThanOrEqual(100);
    const cyclic: Record<string, unknown> = { name: 'x'.repeat(50) };
    cyclic.self = cyclic;
    expect(estimateBytes(cyclic)).toBeGreaterThan(100);
    expect(estimateBytes({ a: [1, 2, 3], b: new Map([['k', 'v']]) })).toBeGreaterThan(0);
  });

  it('invalidates by key and by prefix', () => {
    const c = new LruCache<number>();
    c.set('peer:1', 1);
    c.set('peer:2', 2);
    c.set('route:1', 3);
    expect(c.invalidate('peer:1')).toEqual(['peer:1']);
    expect(c.invalidate('missing')).toEqual([]);
    c.set('peer:3', 4);
    expect(c.invalidatePrefix('peer:').sort()).toEqual(['peer:2', 'peer:3']);
    expect(c.keys()).toEqual(['route:1']);
  });

  it('invalidates dependents transitively, through uncached dependency keys', () => {
    const c = new LruCache<string>();
    c.set('peer:b', 'key of b');
    c.set('route:b', 'via b', { dependsOn: ['topology', 'peer:b'] });
    c.set('route:c', 'via b to c', { dependsOn: ['route:b'] });
    c.set('route:d', 'direct', { dependsOn: ['topology'] });
    c.set('unrelated', 'u');
    expect(c.invalidate('peer:b').sort()).toEqual(['peer:b', 'route:b', 'route:c']);
    expect(c.keys().sort()).toEqual(['route:d', 'unrelated']);
    // 'topology' is never cached itself, yet invalidating it fans out.
    expect(c.invalidate('topology')).toEqual(['route:d']);
    // Prefix invalidation reaches dependents of matching dependency keys too.
    c.set('r1', 'x', { dependsOn: ['topo:v1'] });
    expect(c.invalidatePrefix('topo:')).toEqual(['r1']);
  });

  it('is safe with dependency cycles', () => {
    const c = new LruCache<number>();
    c.set('a', 1, { dependsOn: ['c'] });
    c.set('b', 2, { dependsOn: ['a'] });
    c.set('c', 3, { dependsOn: ['b'] });
    c.set('self', 4, { dependsOn: ['self'] });
    expect(c.invalidate('a').sort()).toEqual(['a', 'b', 'c']);
    expect(c.invalidate('self')).toEqual(['self']);
    expect(c.size).toBe(0);
  });

  it('eviction and replacement drop dependency edges, they do not cascade', () => {
    const c = new LruCache<number>({ maxEntries: 2 });
    c.set('base', 1);
    c.set('derived', 2, { dependsOn: ['base'] });
    c.set('other', 3); // evicts 'base' by capacity: 'derived' stays
    expect(c.keys()).toEqual(['derived', 'other']);
    c.set('derived', 5); // re-set without dependencies
    expect(c.invalidate('base')).toEqual([]);
    expect(c.get('derived')).toBe(5);
  });
});
