/**
 * Sealed envelopes this node carries for offline recipients (store-and-forward). We can read only
 * their routing header, so the limits are what keep a carrier safe: a per-origin quota (one peer
 * cannot fill our disk or crowd out everyone else's mail), a total cap, and a TTL.
 */
import { MeshError } from '../../../src/protocol/errors.ts';
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';
import { deleteIfPresent, settle } from './tx.ts';
import type { CarriedRecord } from './types.ts';

export interface CarryLimits {
  perOriginMaxCount?: number;
  perOriginMaxBytes?: number;
  totalMaxCount?: number;
  /** Upper bound on how long we carry anything, whatever the sender asked for. */
  maxTtlMs?: number;
}

export interface CarryOffer {
  envelopeId: string;
  origin: string;
  to: string;
  bytes: Uint8Array;
  /** Sender's requested expiry; clamped to now + maxTtlMs. */
  expiresAt?: number;
}

export interface CarryStore {
  /**
   * Carries `offer`. false = already carried (idempotent). Throws MeshError 'storage-full' when
   * the origin's quota or the total cap would be exceeded; nothing is written then.
   */
  accept(offer: CarryOffer, now?: number): Promise<boolean>;
  /** Removes and returns every unexpired envelope for `to` (it came online). */
  takeFor(to: string, now?: number): Promise<CarriedRecord[]>;
  /** Unexpired envelopes for `to`, left in place (they go when acknowledged or expired). */
  peekFor(to: string, now?: number): Promise<CarriedRecord[]>;
  /** Drops one envelope (its addressee acknowledged it); true if it was there. */
  remove(envelopeId: string): Promise<boolean>;
  /** Everyone we carry something for (one index walk, unique keys only). */
  recipients(): Promise<string[]>;
  /** Deletes expired envelopes; returns how many. */
  expire(now?: number): Promise<number>;
  usage(origin: string, now?: number): Promise<{ count: number; bytes: number }>;
}

const DEFAULTS: Required<CarryLimits> = {
  perOriginMaxCount: 64,
  perOriginMaxBytes: 1024 * 1024,
  totalMaxCount: 4096,
  maxTtlMs: 7 * 24 * 3600_000,
};

export function createCarryStore(
  db: MeshDb,
  limits: CarryLimits = {},
  clock: () => number = Date.now,
): CarryStore {
  const lim = { ...DEFAULTS, ...limits };

  return {
    accept(offer, now = clock()) {
      return storageOp('carry envelope', () => {
        const tx = db.transaction('carried', 'readwrite');
        return settle(tx, async () => {
          if ((await tx.store.getKey(offer.envelopeId)) !== undefined) return false;
          const expiresAt = Math.min(offer.expiresAt ?? Infinity, now + lim.maxTtlMs);
          if (expiresAt <= now) return false;
          let count = 0;
          let bytes = 0;
          for (const rec of await tx.store.index('by-origin').getAll(offer.origin)) {
            // Expired mail must not count against the origin; drop it while we are here.
            if (rec.expiresAt <= now) await tx.store.delete(rec.envelopeId);
            else {
              count++;
              bytes += rec.bytes.byteLength;
            }
          }
          if (
            count + 1 > lim.perOriginMaxCount ||
            bytes + offer.bytes.byteLength > lim.perOriginMaxBytes
          ) {
            throw new MeshError('storage-full', `carry quota for ${offer.origin} exhausted`);
          }
          if ((await tx.store.count()) + 1 > lim.totalMaxCount) {
            throw new MeshError('storage-full', 'carried envelope store is full');
          }
          await tx.store.add({
            envelopeId: offer.envelopeId,
            origin: offer.origin,
            to: offer.to,
            bytes: offer.bytes,
            storedAt: now,
            expiresAt,
          });
          return true;
        });
      });
    },

    peekFor(to, now = clock()) {
      return storageOp('read carried', async () => {
        const all = await db.getAllFromIndex('carried', 'by-to', IDBKeyRange.only(to));
        return all.filter((r) => r.expiresAt > now);
      });
    },

    remove(envelopeId) {
      return storageOp('drop carried', () => deleteIfPresent(db, 'carried', envelopeId));
    },

    recipients() {
      return storageOp('list carried recipients', async () => {
        const out: string[] = [];
        const index = db.transaction('carried').store.index('by-to');
        let cursor = await index.openKeyCursor(null, 'nextunique');
        while (cursor) {
          out.push(cursor.key);
          cursor = await cursor.continue();
        }
        return out;
      });
    },

    takeFor(to, now = clock()) {
      return storageOp('hand over carried', () => {
        const tx = db.transaction('carried', 'readwrite');
        return settle(tx, async () => {
          const out: CarriedRecord[] = [];
          let cursor = await tx.store.index('by-to').openCursor(IDBKeyRange.only(to));
          while (cursor) {
            if (cursor.value.expiresAt > now) out.push(cursor.value);
            await cursor.delete();
            cursor = await cursor.continue();
          }
          return out;
        });
      });
    },

    expire(now = clock()) {
      return storageOp('expire carried', () => {
        const tx = db.transaction('carried', 'readwrite');
        return settle(tx, async () => {
          let removed = 0;
          const range = IDBKeyRange.upperBound(now);
          let cursor = await tx.store.index('by-expires').openCursor(range);
          while (cursor) {
            await cursor.delete();
            removed++;
            cursor = await cursor.continue();
          }
          return removed;
        });
      });
    },

    usage(origin, now = clock()) {
      return storageOp('read carry usage', async () => {
        const recs = await db.getAllFromIndex('carried', 'by-origin', origin);
        const live = recs.filter((r) => r.expiresAt > now);
        return { count: live.length, bytes: live.reduce((n, r) => n + r.bytes.byteLength, 0) };
      });
    },
  };
}
