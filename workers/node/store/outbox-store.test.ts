import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openMeshDb } from './db.ts';
import { backoffDelay, createOutboxStore } from './outbox-store.ts';

const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const env = new Uint8Array([1, 2, 3]);

async function setup() {
  let t = 1_000;
  const db = await openMeshDb({ name: 'o', indexedDB: new IDBFactory() });
  const outbox = createOutboxStore(db, {
    baseMs: 100,
    maxMs: 1_000,
    random: () => 1,
    now: () => t,
  });
  return { db, outbox, setTime: (v: number) => (t = v) };
}

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, jittered within [50%, 100%]', () => {
    const full = { baseMs: 100, maxMs: 1_000, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, full))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, { ...full, random: () => 0 })).toBe(200);
  });
});

describe('outbox store', () => {
  it('new entries are due at once; due skips future and expired ones', async () => {
    const { db, outbox } = await setup();
    await outbox.enqueue('m1', B, env, 10_000);
    await outbox.put({
      msgId: 'm2',
      to: B,
      envelope: env,
      attempts: 1,
      nextAttemptAt: 5_000,
      createdAt: 0,
      expiresAt: 99_999,
    });
    await outbox.put({
      msgId: 'old',
      to: B,
      envelope: env,
      attempts: 9,
      nextAttemptAt: 0,
      createdAt: 0,
      expiresAt: 500,
    });
    expect((await outbox.due(1_000)).map((r) => r.msgId)).toEqual(['m1']);
    expect((await outbox.due(5_000)).map((r) => r.msgId)).toEqual(['m1', 'm2']);
    expect((await outbox.get('m1'))?.envelope).toEqual(env);
    db.close();
  });

  it('reschedule counts attempts and backs off exponentially', async () => {
    const { db, outbox } = await setup();
    await outbox.enqueue('m1', B, env, 60_000);
    const r1 = await outbox.reschedule('m1', 1_000);
    expect(r1).toMatchObject({ attempts: 1, nextAttemptAt: 1_100 });
    expect(await outbox.due(1_050)).toEqual([]);
    const r2 = await outbox.reschedule('m1', 1_100);
    expect(r2).toMatchObject({ attempts: 2, nextAttemptAt: 1_300 });
    expect(await outbox.reschedule('missing', 0)).toBeUndefined();
    db.close();
  });

  it('a route appearing makes that recipient due now; receipts remove', async () => {
    const { db, outbox } = await setup();
    await outbox.enqueue('m1', B, env, 60_000);
    await outbox.enqueue('m2', C, env, 60_000);
    await outbox.reschedule('m1', 1_000);
    await outbox.reschedule('m2', 1_000);
    expect(await outbox.due(1_000)).toEqual([]);
    expect(await outbox.makeDueFor(B, 1_000)).toBe(1);
    expect((await outbox.due(1_000)).map((r) => r.msgId)).toEqual(['m1']);
    expect(await outbox.remove('m1')).toBe(true);
    expect(await outbox.remove('m1')).toBe(false);
    expect(await outbox.due(1_000)).toEqual([]);
    db.close();
  });

  it('expire drops and returns what outlived its TTL', async () => {
    const { db, outbox, setTime } = await setup();
    await outbox.enqueue('short', B, env, 100);
    setTime(2_000);
    await outbox.enqueue('long', B, env, 100_000);
    expect((await outbox.expire(1_500)).map((r) => r.msgId)).toEqual(['short']);
    expect(await outbox.get('short')).toBeUndefined();
    expect(await outbox.get('long')).toBeDefined();
    db.close();
  });
});
