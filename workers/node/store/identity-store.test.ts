import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { isMeshError } from '../../../src/protocol/errors.ts';
import { verifySignature } from '../../../src/protocol/identity.ts';
import { openMeshDb } from './db.ts';
import { loadOrCreateIdentity } from './identity-store.ts';

describe('loadOrCreateIdentity', () => {
  it('creates a usable identity with non-extractable private keys', async () => {
    const db = await openMeshDb({ name: 'i', indexedDB: new IDBFactory() });
    const { identity, dh } = await loadOrCreateIdentity(db);
    expect(identity.peerId).toMatch(/^[0-9a-f]{32}$/);
    expect(identity.keyPair.privateKey.extractable).toBe(false);
    expect(dh.keyPair.privateKey.extractable).toBe(false);
    expect(dh.keyPair.privateKey.algorithm.name).toBe('X25519');
    expect(dh.publicKey).toHaveLength(32);
    const data = new Uint8Array([1, 2, 3]);
    expect(await verifySignature(identity.publicKey, await identity.sign(data), data)).toBe(true);
    db.close();
  });

  it('keeps the same keys and peer id across re-open', async () => {
    const factory = new IDBFactory();
    const db1 = await openMeshDb({ name: 'i', indexedDB: factory });
    const first = await loadOrCreateIdentity(db1);
    db1.close();
    const db2 = await openMeshDb({ name: 'i', indexedDB: factory });
    const second = await loadOrCreateIdentity(db2);
    expect(second.identity.peerId).toBe(first.identity.peerId);
    expect(second.dh.publicKey).toEqual(first.dh.publicKey);
    // The reloaded private key still signs for the same public key.
    const data = new Uint8Array([9]);
    const sig = await second.identity.sign(data);
    expect(await verifySignature(first.identity.publicKey, sig, data)).toBe(true);
    db2.close();
  });

  it('two racing first starts (two tabs) end up with one identity', async () => {
    const factory = new IDBFactory();
    const [dbA, dbB] = await Promise.all([
      openMeshDb({ name: 'race', indexedDB: factory }),
      openMeshDb({ name: 'race', indexedDB: factory }),
    ]);
    const [a, b] = await Promise.all([loadOrCreateIdentity(dbA), loadOrCreateIdentity(dbB)]);
    expect(a.identity.peerId).toBe(b.identity.peerId);
    expect(a.dh.publicKey).toEqual(b.dh.publicKey);
    const again = await loadOrCreateIdentity(dbA);
    expect(again.identity.peerId).toBe(a.identity.peerId);
    dbA.close();
    dbB.close();
  });

  it('refuses to replace a malformed stored identity', async () => {
    const db = await openMeshDb({ name: 'bad', indexedDB: new IDBFactory() });
    await db.put('identity', { nonsense: true } as never, 'self');
    const err = await loadOrCreateIdentity(db).catch((e: unknown) => e);
    expect(isMeshError(err, 'bad-identity')).toBe(true);
    db.close();
  });
});
