import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isMeshError } from '../../../src/protocol/errors.ts';
import { openMeshDb } from './db.ts';
import { createMessageStore } from './message-store.ts';
import type { ConversationId, StoredMessage } from './types.ts';

const A = 'a'.repeat(32);

function msg(msgId: string, ts: number, over: Partial<StoredMessage> = {}): StoredMessage {
  return {
    msgId,
    conversation: 'room:lobby',
    from: A,
    ts,
    receivedAt: ts,
    text: `text ${msgId}`,
    direction: 'in',
    ...over,
  };
}

async function setup() {
  const db = await openMeshDb({ name: 'm', indexedDB: new IDBFactory() });
  return { db, store: createMessageStore(db, () => 1000) };
}

afterEach(() => vi.restoreAllMocks());

describe('message store', () => {
  it('append is idempotent by msgId', async () => {
    const { db, store } = await setup();
    expect(await store.append(msg('m1', 1))).toBe(true);
    expect(await store.append(msg('m1', 99, { text: 'changed' }))).toBe(false);
    const got = await store.get('m1');
    expect(got?.text).toBe('text m1');
    expect(got?.ts).toBe(1);
    db.close();
  });

  it('appendMany writes a batch in one transaction and flags duplicates', async () => {
    const { db, store } = await setup();
    await store.append(msg('m2', 2));
    const flags = await store.appendMany([msg('m1', 1), msg('m2', 2), msg('m3', 3), msg('m1', 1)]);
    expect(flags).toEqual([true, false, true, false]);
    expect(await db.count('messages')).toBe(3);
    db.close();
  });

  it('pages newest first across page boundaries, one conversation only', async () => {
    const { db, store } = await setup();
    const lobby = Array.from({ length: 25 }, (_, i) => msg(`l${String(i).padStart(2, '0')}`, i));
    const dm: ConversationId = `dm:${A}`;
    const other = Array.from({ length: 10 }, (_, i) => msg(`d${i}`, i + 0.5, { conversation: dm }));
    await store.appendMany([...other, ...lobby].reverse());

    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await store.page('room:lobby', { before, limit: 10 });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page.map((m) => m.msgId));
      before = page[page.length - 1]!.ts;
    }
    expect(seen).toEqual(lobby.map((m) => m.msgId).reverse());
    expect((await store.page(dm, { limit: 100 })).map((m) => m.msgId)).toEqual(
      other.map((m) => m.msgId).reverse(),
    );
    expect(await store.page('room:empty', { limit: 10 })).toEqual([]);
    db.close();
  });

  it('pages through runs of equal timestamps without skipping or repeating', async () => {
    const { db, store } = await setup();
    const same = ['a', 'b', 'c', 'd', 'e'].map((id) => msg(id, 7));
    await store.appendMany([...same, msg('z', 8), msg('y', 1)]);
    const ids: string[] = [];
    let cursor: { before?: number; beforeMsgId?: string } = {};
    for (;;) {
      const page = await store.page('room:lobby', { ...cursor, limit: 2 });
      if (page.length === 0) break;
      ids.push(...page.map((m) => m.msgId));
      const last = page[page.length - 1]!;
      cursor = { before: last.ts, beforeMsgId: last.msgId };
    }
    expect(ids).toEqual(['z', 'e', 'd', 'c', 'b', 'a', 'y']);
    db.close();
  });

  it('moves status forward only', async () => {
    const { db, store } = await setup();
    await store.append(msg('o1', 1, { direction: 'out', status: 'queued' }));
    await store.append(msg('i1', 1));
    expect(await store.setStatus('o1', 'sent')).toBe(true);
    expect(await store.setStatus('o1', 'queued')).toBe(false);
    expect(await store.setStatus('o1', 'delivered')).toBe(true);
    expect(await store.setStatus('o1', 'sent')).toBe(false);
    expect(await store.setStatus('o1', 'delivered')).toBe(false);
    expect((await store.get('o1'))?.status).toBe('delivered');
    expect(await store.setStatus('i1', 'delivered')).toBe(false);
    expect(await store.setStatus('missing', 'sent')).toBe(false);
    db.close();
  });

  it('failed outranks sent, a late receipt outranks failed', async () => {
    const { db, store } = await setup();
    await store.append(msg('o2', 1, { direction: 'out', status: 'queued' }));
    expect(await store.setStatus('o2', 'sent')).toBe(true);
    expect(await store.setStatus('o2', 'failed')).toBe(true);
    expect(await store.setStatus('o2', 'sent')).toBe(false);
    expect(await store.setStatus('o2', 'queued')).toBe(false); // only requeueOutgoing goes back
    expect(await store.setStatus('o2', 'delivered')).toBe(true);
    expect(await store.setStatus('o2', 'failed')).toBe(false);
    db.close();
  });

  it('markSeen is true exactly once, survives re-open, and prunes by age', async () => {
    const factory = new IDBFactory();
    const db = await openMeshDb({ name: 's', indexedDB: factory });
    const store = createMessageStore(db);
    expect(await store.markSeen('m1', 10)).toBe(true);
    expect(await store.markSeen('m1', 11)).toBe(false);
    expect(await store.markSeen('m2', 20)).toBe(true);
    db.close();
    const db2 = await openMeshDb({ name: 's', indexedDB: factory });
    const store2 = createMessageStore(db2);
    expect(await store2.hasSeen('m1')).toBe(true);
    expect(await store2.hasSeen('m3')).toBe(false);
    expect(await store2.pruneSeen(15)).toBe(1);
    expect(await store2.hasSeen('m1')).toBe(false);
    expect(await store2.hasSeen('m2')).toBe(true);
    db2.close();
  });

  it('a failed batch is typed, atomic, and loses nothing written before', async () => {
    const { db, store } = await setup();
    await store.append(msg('keep', 1));
    const bad = { ...msg('x', 2), msgId: undefined } as unknown as StoredMessage;
    const err = await store.appendMany([msg('n1', 3), bad]).catch((e: unknown) => e);
    expect(isMeshError(err, 'storage-failed')).toBe(true);
    expect(await store.get('keep')).toBeDefined();
    expect(await store.get('n1')).toBeUndefined();
    db.close();
  });

  it('quota exhaustion becomes storage-full and rolls the batch back', async () => {
    const { db, store } = await setup();
    await store.append(msg('keep', 1));
    const real = IDBObjectStore.prototype.add;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['add']>
    ) {
      if (++calls === 2) throw new DOMException('disk full', 'QuotaExceededError');
      return real.apply(this, args);
    });
    const err = await store.appendMany([msg('n1', 2), msg('n2', 3)]).catch((e: unknown) => e);
    expect(isMeshError(err, 'storage-full')).toBe(true);
    vi.restoreAllMocks();
    expect(await store.get('n1')).toBeUndefined();
    expect(await store.get('keep')).toBeDefined();
    db.close();
  });
});
