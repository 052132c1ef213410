import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { isMeshError } from '../../../src/protocol/errors.ts';
import { createCarryStore, type CarryLimits } from './carry-store.ts';
import { openMeshDb } from './db.ts';

const O1 = '1'.repeat(32);
const O2 = '2'.repeat(32);
const TO = 'f'.repeat(32);
const bytes = (n: number) => new Uint8Array(n);

async function setup(limits: CarryLimits) {
  const db = await openMeshDb({ name: 'c', indexedDB: new IDBFactory() });
  return { db, carry: createCarryStore(db, limits, () => 0) };
}

describe('carry store', () => {
  it('accepts idempotently and hands envelopes over once', async () => {
    const { db, carry } = await setup({});
    expect(await carry.accept({ envelopeId: 'e1', origin: O1, to: TO, bytes: bytes(10) }, 0)).toBe(
      true,
    );
    expect(await carry.accept({ envelopeId: 'e1', origin: O1, to: TO, bytes: bytes(10) }, 0)).toBe(
      false,
    );
    await carry.accept({ envelopeId: 'e2', origin: O2, to: O1, bytes: bytes(5) }, 0);
    const taken = await carry.takeFor(TO, 1);
    expect(taken.map((r) => r.envelopeId)).toEqual(['e1']);
    expect(await carry.takeFor(TO, 1)).toEqual([]);
    expect((await carry.takeFor(O1, 1)).map((r) => r.envelopeId)).toEqual(['e2']);
    db.close();
  });

  it('lists each recipient once, and forgets one whose mail was handed over', async () => {
    const { db, carry } = await setup({});
    await carry.accept({ envelopeId: 'x1', origin: O1, to: TO, bytes: bytes(3) }, 0);
    await carry.accept({ envelopeId: 'x2', origin: O2, to: TO, bytes: bytes(3) }, 0);
    await carry.accept({ envelopeId: 'x3', origin: O2, to: O1, bytes: bytes(3) }, 0);
    expect((await carry.recipients()).sort()).toEqual([O1, TO].sort());
    await carry.takeFor(TO, 1);
    expect(await carry.recipients()).toEqual([O1]);
    db.close();
  });

  it('peekFor leaves envelopes in place until removed; expired ones are not offered', async () => {
    const { db, carry } = await setup({});
    await carry.accept({ envelopeId: 'p1', origin: O1, to: TO, bytes: bytes(3), expiresAt: 50 }, 0);
    await carry.accept({ envelopeId: 'p2', origin: O1, to: TO, bytes: bytes(3) }, 0);
    expect((await carry.peekFor(TO, 10)).map((r) => r.envelopeId).sort()).toEqual(['p1', 'p2']);
    expect((await carry.peekFor(TO, 10)).length).toBe(2);
    expect((await carry.peekFor(TO, 60)).map((r) => r.envelopeId)).toEqual(['p2']);
    expect(await carry.remove('p2')).toBe(true);
    expect(await carry.remove('p2')).toBe(false);
    expect((await carry.peekFor(TO, 10)).map((r) => r.envelopeId)).toEqual(['p1']);
    db.close();
  });

  it('enforces a per-origin count and byte quota with storage-full', async () => {
    const { db, carry } = await setup({ perOriginMaxCount: 2, perOriginMaxBytes: 100 });
    await carry.accept({ envelopeId: 'a', origin: O1, to: TO, bytes: bytes(40) }, 0);
    await carry.accept({ envelopeId: 'b', origin: O1, to: TO, bytes: bytes(40) }, 0);
    const overCount = await carry
      .accept({ envelopeId: 'c', origin: O1, to: TO, bytes: bytes(1) }, 0)
      .catch((e: unknown) => e);
    expect(isMeshError(overCount, 'storage-full')).toBe(true);
    // Another origin has its own quota.
    expect(await carry.accept({ envelopeId: 'd', origin: O2, to: TO, bytes: bytes(90) }, 0)).toBe(
      true,
    );
    const overBytes = await carry
      .accept({ envelopeId: 'e', origin: O2, to: TO, bytes: bytes(11) }, 0)
      .catch((e: unknown) => e);
    expect(isMeshError(overBytes, 'storage-full')).toBe(true);
    expect(await carry.usage(O1, 0)).toEqual({ count: 2, bytes: 80 });
    expect(await carry.usage(O2, 0)).toEqual({ count: 1, bytes: 90 });
    db.close();
  });

  it('enforces the total cap', async () => {
    const { db, carry } = await setup({ totalMaxCount: 1 });
    await carry.accept({ envelopeId: 'a', origin: O1, to: TO, bytes: bytes(1) }, 0);
    const err = await carry
      .accept({ envelopeId: 'b', origin: O2, to: TO, bytes: bytes(1) }, 0)
      .catch((e: unknown) => e);
    expect(isMeshError(err, 'storage-full')).toBe(true);
    db.close();
  });

  it('clamps TTL, expires old envelopes, and expired ones free the quota', async () => {
    const { db, carry } = await setup({ maxTtlMs: 1_000, perOriginMaxCount: 1 });
    await carry.accept({ envelopeId: 'a', origin: O1, to: TO, bytes: bytes(1), expiresAt: 9e9 }, 0);
    const [rec] = await db.getAll('carried');
    expect(rec?.expiresAt).toBe(1_000);
    // After expiry the slot is free again; the stale envelope is never handed over.
    expect(
      await carry.accept({ envelopeId: 'b', origin: O1, to: TO, bytes: bytes(1) }, 1_500),
    ).toBe(true);
    expect(
      await carry.accept({ envelopeId: 'c', origin: O2, to: TO, bytes: bytes(1) }, 1_600),
    ).toBe(true);
    expect(await carry.expire(2_550)).toBe(1);
    expect((await carry.takeFor(TO, 2_550)).map((r) => r.envelopeId)).toEqual(['c']);
    expect(
      await carry.accept(
        { envelopeId: 'd', origin: O1, to: TO, bytes: bytes(1), expiresAt: 5 },
        10,
      ),
    ).toBe(false);
    db.close();
  });
});
