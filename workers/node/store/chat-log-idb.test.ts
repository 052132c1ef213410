import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../api.ts';
import { createIdbChatLog } from './chat-log-idb.ts';
import { openMeshDb } from './db.ts';

const msg = (msgId: string, ts: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  msgId,
  conversation: 'room',
  from: 'a'.repeat(32),
  fromName: 'alice',
  text: msgId,
  ts,
  direction: 'out',
  status: 'queued',
  ...over,
});

describe('IndexedDB ChatLog', () => {
  it('behaves like the memory log and persists across re-open', async () => {
    const factory = new IDBFactory();
    const db = await openMeshDb({ name: 'chat', indexedDB: factory });
    const log = createIdbChatLog(db, () => 5);
    expect(await log.append(msg('m1', 1))).toBe(true);
    expect(await log.append(msg('m1', 1))).toBe(false);
    await log.append(msg('m2', 2));
    await log.append(msg('d1', 3, { conversation: 'dm:bob' }));
    expect(await log.setStatus('m1', 'delivered')).toBe('delivered');
    expect(await log.setStatus('m1', 'sent')).toBeUndefined();
    db.close();

    const db2 = await openMeshDb({ name: 'chat', indexedDB: factory });
    const log2 = createIdbChatLog(db2);
    expect(await log2.get('m1')).toEqual(msg('m1', 1, { status: 'delivered' }));
    expect((await log2.page('room', Infinity, 10)).map((m) => m.msgId)).toEqual(['m2', 'm1']);
    expect((await log2.page('room', 2, 10)).map((m) => m.msgId)).toEqual(['m1']);
    db2.close();
  });
});
