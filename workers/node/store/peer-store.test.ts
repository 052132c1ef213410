import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { isMeshError } from '../../../src/protocol/errors.ts';
import { generateIdentity } from '../../../src/protocol/identity.ts';
import { openMeshDb } from './db.ts';
import { createPeerStore } from './peer-store.ts';
import { createSettingsStore } from './settings-store.ts';

async function setup() {
  const db = await openMeshDb({ name: 'p', indexedDB: new IDBFactory() });
  return { db, peers: createPeerStore(db, () => 100) };
}

describe('peer store', () => {
  it('upserts, merges and lists most recent first', async () => {
    const { db, peers } = await setup();
    const [a, b] = await Promise.all([generateIdentity(), generateIdentity()]);
    const dh = new Uint8Array(32).fill(7);
    await peers.upsert({
      peerId: a.peerId,
      publicKey: a.publicKey,
      name: 'alice',
      dhPublicKey: dh,
    });
    await peers.upsert({ peerId: b.peerId, publicKey: b.publicKey, name: 'bob', lastSeen: 200 });
    // A later sighting without a name or dh key keeps what we knew.
    const merged = await peers.upsert({ peerId: a.peerId, publicKey: a.publicKey, lastSeen: 300 });
    expect(merged).toMatchObject({ name: 'alice', lastSeen: 300 });
    expect(merged.dhPublicKey).toEqual(dh);
    expect((await peers.list()).map((p) => p.name)).toEqual(['alice', 'bob']);
    expect(await peers.touch(b.peerId, 150)).toBe(false);
    expect(await peers.touch(b.peerId, 400)).toBe(true);
    expect((await peers.list()).map((p) => p.name)).toEqual(['bob', 'alice']);
    expect(await peers.setFeedback(b.peerId, 'spam')).toBe(true);
    expect((await peers.get(b.peerId))?.feedback).toBe('spam');
    expect(await peers.setFeedback('0'.repeat(32), 'spam')).toBe(false);
    expect(await peers.remove(a.peerId)).toBe(true);
    expect(await peers.get(a.peerId)).toBeUndefined();
    db.close();
  });

  it('refuses a public key that does not hash to the peer id', async () => {
    const { db, peers } = await setup();
    const [a, b] = await Promise.all([generateIdentity(), generateIdentity()]);
    const err = await peers
      .upsert({ peerId: a.peerId, publicKey: b.publicKey, name: 'mallory' })
      .catch((e: unknown) => e);
    expect(isMeshError(err, 'bad-identity')).toBe(true);
    expect(await peers.get(a.peerId)).toBeUndefined();
    db.close();
  });
});

describe('settings store', () => {
  it('reads with a fallback and persists values', async () => {
    const db = await openMeshDb({ name: 'st', indexedDB: new IDBFactory() });
    const settings = createSettingsStore(db);
    expect(await settings.get('screening', 'normal')).toBe('normal');
    await settings.set('screening', 'strict');
    expect(await settings.get('screening', 'normal')).toBe('strict');
    await settings.delete('screening');
    expect(await settings.get('screening', 'normal')).toBe('normal');
    db.close();
  });
});
