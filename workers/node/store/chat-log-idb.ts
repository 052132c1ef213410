/**
 * The node worker's ChatLog (../chat-log.ts) over IndexedDB: the persistent drop-in for
 * createMemoryChatLog, with the same semantics (idempotent append, forward-only status, newest
 * first paging), surviving reloads.
 */
import type { ChatMessage } from '../api.ts';
import type { ChatLog } from '../chat-log.ts';
import type { MeshDb } from './db.ts';
import { createMessageStore } from './message-store.ts';
import type { StoredMessage } from './types.ts';

function toChat(m: StoredMessage): ChatMessage {
  const { receivedAt: _receivedAt, fromName, ...rest } = m;
  // Only ChatMessages are written through this log, so the conversation is one of the API's.
  const conversation = rest.conversation as ChatMessage['conversation'];
  return { ...rest, conversation, fromName: fromName ?? '' };
}

export function createIdbChatLog(db: MeshDb, now: () => number = Date.now): ChatLog {
  const store = createMessageStore(db, now);
  return {
    append: (m) => store.append({ ...m, receivedAt: now() }),
    async get(msgId) {
      const m = await store.get(msgId);
      return m && toChat(m);
    },
    async setStatus(msgId, status) {
      return (await store.setStatus(msgId, status)) ? status : undefined;
    },
    async page(c, before, limit) {
      return (await store.page(c, { before, limit })).map(toChat);
    },
  };
}
