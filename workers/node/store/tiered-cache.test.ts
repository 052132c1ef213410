import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../../src/protocol/identity.ts';
import { openMeshDb } from './db.ts';
import { createPeerStore } from './peer-store.ts';
import { TieredCache, type L2Store } from './tiered-cache.ts';
import type { PeerRecord } from './types.ts';

function memoryL2(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  let loads = 0;
  const gates: (() => void)[] = [];
  let gated = false;
  const l2: L2Store<string> = {
    async load(key) {
      loads++;
      const value = data.get(key);
      if (gated) await new Promise<void>((r) => gates.push(r));
      return value;
    },
    async store(key, value) {
      data.set(key, value);
    },
    async remove(key) {
      data.delete(key);
    },
  };
  return {
    l2,
    data,
    loads: () => loads,
    gate: (on: boolean) => (gated = on),
    release: () => gates.splice(0).forEach((r) => r()),
  };
}

describe('TieredCache', () => {
  it('reads through once, then serves from L1; concurrent misses share one load', async () => {
    const m = memoryL2({ k: 'v' });
    const c = new TieredCache<string>({ l2: m.l2 });
    const [a, b] = await Promise.all([c.get('k'), c.get('k')]);
    expect([a, b]).toEqual(['v', 'v']);
    expect(await c.get('k')).toBe('v');
    expect(m.loads()).toBe(1);
    expect(await c.get('missing')).toBeUndefined();
    expect(await c.get('missing')).toBeUndefined();
    expect(m.loads()).toBe(3); // misses are not cached
  });

  it('writes through, deletes from both tiers, and invalidation reloads from L2', async () => {
    const m = memoryL2();
    const c = new TieredCache<string>({ l2: m.l2 });
    await c.set('k', 'one');
    expect(m.data.get('k')).toBe('one');
    expect(await c.get('k')).toBe('one');
    expect(m.loads()).toBe(0);
    m.data.set('k', 'two'); // changed behind the cache's back
    expect(await c.get('k')).toBe('one');
    c.invalidate('k');
    expect(await c.get('k')).toBe('two');
    await c.delete('k');
    expect(m.data.has('k')).toBe(false);
    expect(await c.get('k')).toBeUndefined();
  });

  it('a load racing an invalidation is not cached', async () => {
    const m = memoryL2({ k: 'old' });
    const c = new TieredCache<string>({ l2: m.l2 });
    m.gate(true);
    const slow = c.get('k');
    await Promise.resolve();
    m.data.set('k', 'new');
    c.invalidate('k');
    m.release();
    expect(await slow).toBe('old');
    expect(c.l1.has('k')).toBe(false);
    m.gate(false);
    expect(await c.get('k')).toBe('new');
  });

  it('declared dependencies cascade from L2-backed entries', async () => {
    const m = memoryL2({ 'route:x': 'via y' });
    const c = new TieredCache<string>({ l2: m.l2, dependsOn: () => ['topology'] });
    await c.get('route:x');
    expect(c.invalidate('topology')).toEqual(['route:x']);
  });

  it('fronts the IndexedDB peer directory', async () => {
    const db = await openMeshDb({ name: 'tc', indexedDB: new IDBFactory() });
    const peers = createPeerStore(db, () => 1);
    const a = await generateIdentity();
    await peers.upsert({ peerId: a.peerId, publicKey: a.publicKey, name: 'alice' });
    const cache = new TieredCache<PeerRecord>({
      l2: { load: (id) => peers.get(id) },
      maxEntries: 100,
      ttlMs: 60_000,
    });
    expect((await cache.get(a.peerId))?.name).toBe('alice');
    await peers.upsert({ peerId: a.peerId, publicKey: a.publicKey, name: 'alice 2' });
    expect((await cache.get(a.peerId))?.name).toBe('alice');
    cache.invalidate(a.peerId);
    expect((await cache.get(a.peerId))?.name).toBe('alice 2');
    db.close();
  });
});
