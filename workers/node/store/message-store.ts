/**
 * Conversation history and exactly-once display. Every write is one transaction; appends are
 * idempotent by msgId because the mesh delivers duplicates (floods, retries, carried copies).
 */
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';
import { addIfAbsent, settle } from './tx.ts';
import type { ConversationId, MessageStatus, StoredMessage } from './types.ts';

// 'failed' outranks 'sent' (expiry is final for that attempt) but not 'delivered': a receipt that
// arrives late still wins. Going back from 'failed' to 'queued' is only requeueOutgoing's to do.
const STATUS_RANK: Record<MessageStatus, number> = { queued: 0, sent: 1, failed: 2, delivered: 3 };

export interface PageOptions {
  /** Only messages with ts strictly before this (sender time); omitted = newest. */
  before?: number;
  /**
   * With `before`: the msgId of the last message already shown, so a page boundary that falls
   * inside a run of equal timestamps neither skips nor repeats any (pass both from the last row).
   */
  beforeMsgId?: string;
  limit: number;
}

export interface MessageStore {
  /** Stores `msg` unless its msgId is known; false = duplicate, nothing changed. */
  append(msg: StoredMessage): Promise<boolean>;
  /** One transaction for the whole batch; one flag per message (true = newly stored). */
  appendMany(msgs: readonly StoredMessage[]): Promise<boolean[]>;
  get(msgId: string): Promise<StoredMessage | undefined>;
  /** Newest first, walking the [conversation, ts, msgId] index backwards: no full scan. */
  page(conversation: ConversationId, opts: PageOptions): Promise<StoredMessage[]>;
  /** Moves an outgoing message's status forward only; true if it changed. */
  setStatus(msgId: string, status: MessageStatus): Promise<boolean>;
  /** Atomically marks `msgId` displayed; true only for the first caller (display it then). */
  markSeen(msgId: string, at?: number): Promise<boolean>;
  hasSeen(msgId: string): Promise<boolean>;
  /** Forgets seen ids older than `olderThan`; returns how many. */
  pruneSeen(olderThan: number): Promise<number>;
}

export function createMessageStore(db: MeshDb, now: () => number = Date.now): MessageStore {
  const appendMany = (msgs: readonly StoredMessage[]) =>
    storageOp('append messages', () => {
      const tx = db.transaction('messages', 'readwrite');
      return settle(tx, () => addIfAbsent(tx.store, msgs));
    });

  return {
    appendMany,
    async append(msg) {
      const [added] = await appendMany([msg]);
      return added === true;
    },

    get: (msgId) => storageOp('read message', () => db.get('messages', msgId)),

    page(conversation, { before, beforeMsgId, limit }) {
      return storageOp('page messages', async () => {
        if (limit <= 0) return [];
        // Index keys are [conversation, ts, msgId]. A shorter array sorts before every longer one
        // with the same prefix, and any array sorts after numbers, so [c] .. [c, []] spans all of
        // conversation c, and an open upper bound [c, ts] excludes every message at ts.
        const upper =
          before === undefined
            ? [conversation, []]
            : beforeMsgId === undefined
              ? [conversation, before]
              : [conversation, before, beforeMsgId];
        const range = IDBKeyRange.bound([conversation], upper, false, before !== undefined);
        const tx = db.transaction('messages');
        return settle(tx, async () => {
          const out: StoredMessage[] = [];
          let cursor = await tx.store.index('by-conversation-ts').openCursor(range, 'prev');
          while (cursor && out.length < limit) {
            out.push(cursor.value);
            cursor = out.length < limit ? await cursor.continue() : null;
          }
          return out;
        });
      });
    },

    setStatus(msgId, status) {
      return storageOp('set message status', () => {
        const tx = db.transaction('messages', 'readwrite');
        return settle(tx, async () => {
          const msg = await tx.store.get(msgId);
          if (!msg || msg.direction !== 'out') return false;
          // Receipts and retries race; a late 'sent' must not undo 'delivered'.
          if (msg.status !== undefined && STATUS_RANK[msg.status] >= STATUS_RANK[status]) {
            return false;
          }
          await tx.store.put({ ...msg, status });
          return true;
        });
      });
    },

    markSeen(msgId, at = now()) {
      return storageOp('mark seen', async () => {
        const tx = db.transaction('seen', 'readwrite');
        const [added] = await settle(tx, () => addIfAbsent(tx.store, [{ msgId, seenAt: at }]));
        return added === true;
      });
    },

    hasSeen: (msgId) =>
      storageOp('read seen', async () => (await db.getKey('seen', msgId)) !== undefined),

    pruneSeen(olderThan) {
      return storageOp('prune seen', () => {
        const tx = db.transaction('seen', 'readwrite');
        return settle(tx, async () => {
          let removed = 0;
          const range = IDBKeyRange.upperBound(olderThan, true);
          let cursor = await tx.store.index('by-seen-at').openCursor(range);
          while (cursor) {
            await cursor.delete();
            removed++;
            cursor = await cursor.continue();
          }
          return removed;
        });
      });
    },
  };
}
