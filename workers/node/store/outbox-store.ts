/**
 * Direct messages waiting for a signed receipt. A sealed envelope stays here until its receipt
 * arrives (remove) or it expires; retries back off exponentially, and a route to the recipient
 * appearing makes its messages due at once (makeDueFor), also after a reload or days later.
 */
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';
import { deleteIfPresent, settle } from './tx.ts';
import type { OutboxRecord } from './types.ts';

export interface BackoffOptions {
  /** Delay after the first failed attempt. */
  baseMs?: number;
  /** Ceiling for the delay. */
  maxMs?: number;
  /** [0, 1) source for jitter; tests pass a constant. */
  random?: () => number;
}

export interface OutboxStore {
  /** Adds or replaces the entry for `rec.msgId`. */
  put(rec: OutboxRecord): Promise<void>;
  /** Queues a new envelope, due immediately. */
  enqueue(msgId: string, to: string, envelope: Uint8Array, ttlMs: number): Promise<OutboxRecord>;
  get(msgId: string): Promise<OutboxRecord | undefined>;
  /** Unexpired entries whose next attempt is due at `now`, earliest first. */
  due(now: number, limit?: number): Promise<OutboxRecord[]>;
  /** Counts an attempt and schedules the next one with backoff; undefined if gone. */
  reschedule(msgId: string, now: number): Promise<OutboxRecord | undefined>;
  /** A route to `to` appeared: everything queued for it becomes due at `now`. */
  makeDueFor(to: string, now: number): Promise<number>;
  /** Receipt arrived: drop the entry. True if it was there. */
  remove(msgId: string): Promise<boolean>;
  /** Drops expired entries and returns them (the UI can show them as undelivered). */
  expire(now: number): Promise<OutboxRecord[]>;
}

/** Exponential backoff with jitter in [50%, 100%] of the step so retries from many nodes spread. */
export function backoffDelay(attempts: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 2_000;
  const max = opts.maxMs ?? 5 * 60_000;
  const random = opts.random ?? Math.random;
  const step = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(step * (0.5 + 0.5 * random()));
}

export function createOutboxStore(
  db: MeshDb,
  opts: BackoffOptions & { now?: () => number } = {},
): OutboxStore {
  const now = opts.now ?? Date.now;
  const put = (rec: OutboxRecord) =>
    storageOp('queue outgoing', async () => {
      await db.put('outbox', rec);
    });

  return {
    put,
    async enqueue(msgId, to, envelope, ttlMs) {
      const t = now();
      const rec: OutboxRecord = {
        msgId,
        to,
        envelope,
        attempts: 0,
        nextAttemptAt: t,
        createdAt: t,
        expiresAt: t + ttlMs,
      };
      await put(rec);
      return rec;
    },

    get: (msgId) => storageOp('read outbox', () => db.get('outbox', msgId)),

    due(at, limit = Infinity) {
      return storageOp('read due outbox', async () => {
        const tx = db.transaction('outbox');
        return settle(tx, async () => {
          const out: OutboxRecord[] = [];
          const range = IDBKeyRange.upperBound(at);
          let cursor = await tx.store.index('by-next-attempt').openCursor(range);
          while (cursor && out.length < limit) {
            if (cursor.value.expiresAt > at) out.push(cursor.value);
            cursor = await cursor.continue();
          }
          return out;
        });
      });
    },

    reschedule(msgId, at) {
      return storageOp('reschedule outgoing', () => {
        const tx = db.transaction('outbox', 'readwrite');
        return settle(tx, async () => {
          const rec = await tx.store.get(msgId);
          if (!rec) return undefined;
          const attempts = rec.attempts + 1;
          const next = { ...rec, attempts, nextAttemptAt: at + backoffDelay(attempts, opts) };
          await tx.store.put(next);
          return next;
        });
      });
    },

    makeDueFor(to, at) {
      return storageOp('make outgoing due', () => {
        const tx = db.transaction('outbox', 'readwrite');
        return settle(tx, async () => {
          let changed = 0;
          let cursor = await tx.store.index('by-to').openCursor(IDBKeyRange.only(to));
          while (cursor) {
            if (cursor.value.nextAttemptAt > at) {
              await cursor.update({ ...cursor.value, nextAttemptAt: at });
              changed++;
            }
            cursor = await cursor.continue();
          }
          return changed;
        });
      });
    },

    remove(msgId) {
      return storageOp('remove outgoing', () => deleteIfPresent(db, 'outbox', msgId));
    },

    expire(at) {
      return storageOp('expire outgoing', () => {
        const tx = db.transaction('outbox', 'readwrite');
        return settle(tx, async () => {
          const gone: OutboxRecord[] = [];
          // No expiry index: the outbox is small (unacknowledged direct messages only).
          let cursor = await tx.store.openCursor();
          while (cursor) {
            if (cursor.value.expiresAt <= at) {
              gone.push(cursor.value);
              await cursor.delete();
            }
            cursor = await cursor.continue();
          }
          return gone;
        });
      });
    },
  };
}
