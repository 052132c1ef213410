import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { isMeshError } from '../../../src/protocol/errors.ts';
import { openMeshDb, type MeshDb } from './db.ts';
import { LATEST_VERSION } from './migrations.ts';

describe('openMeshDb', () => {
  it('creates every store at the latest version', async () => {
    const db = await openMeshDb({ name: 'a', indexedDB: new IDBFactory() });
    expect(db.version).toBe(LATEST_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(
      ['carried', 'identity', 'messages', 'outbox', 'peers', 'seen', 'settings'].sort(),
    );
    expect([...db.transaction('carried').store.indexNames].sort()).toEqual([
      'by-expires',
      'by-origin',
      'by-to',
    ]);
    db.close();
  });

  it('upgrades a v1 database without losing its data', async () => {
    const factory = new IDBFactory();
    // The v1 shape is older than MeshDbSchema; write to it through the stores v1 had.
    const v1 = (await openMeshDb({ name: 'u', indexedDB: factory, version: 1 })) as MeshDb;
    expect([...v1.objectStoreNames]).not.toContain('carried');
    await v1.put('messages', {
      msgId: 'm1',
      conversation: 'room:lobby',
      from: 'a'.repeat(32),
      ts: 5,
      receivedAt: 6,
      text: 'kept',
      direction: 'in',
    });
    await v1.put('settings', 'strict', 'screening');
    v1.close();

    const v2 = await openMeshDb({ name: 'u', indexedDB: factory });
    expect(v2.version).toBe(LATEST_VERSION);
    expect((await v2.get('messages', 'm1'))?.text).toBe('kept');
    expect(await v2.get('settings', 'screening')).toBe('strict');
    await v2.put('seen', { msgId: 'm1', seenAt: 7 });
    expect(await v2.count('seen')).toBe(1);
    v2.close();
  });

  it('closes an old connection so another context can upgrade', async () => {
    const factory = new IDBFactory();
    const old = await openMeshDb({ name: 'b', indexedDB: factory, version: 1 });
    let closedByUpgrade = false;
    old.addEventListener('versionchange', () => (closedByUpgrade = true));
    const upgraded = await openMeshDb({ name: 'b', indexedDB: factory });
    expect(closedByUpgrade).toBe(true);
    await expect(old.get('settings', 'x')).rejects.toThrow();
    upgraded.close();
  });

  it('refuses a database from a newer release with a typed error', async () => {
    const factory = new IDBFactory();
    const newer = await openMeshDb({ name: 'c', indexedDB: factory });
    newer.close();
    const err = await openMeshDb({ name: 'c', indexedDB: factory, version: 1 }).catch(
      (e: unknown) => e,
    );
    expect(isMeshError(err, 'storage-failed')).toBe(true);
  });
});
