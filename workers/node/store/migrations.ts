/**
 * Schema migrations, in order: MIGRATIONS[i] takes the database from version i to i + 1.
 *
 * Rules that keep user data safe across releases:
 * - never edit a migration that has shipped; append a new one instead;
 * - a migration may create/delete stores and indexes and rewrite records, but it may only await
 *   IndexedDB requests of the version-change transaction (awaiting anything else, e.g. WebCrypto,
 *   lets the transaction auto-commit half-done).
 * Migrations see the database untyped: the typed schema in db.ts describes only the latest version.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';

export type UpgradeTransaction = IDBPTransaction<unknown, ArrayLike<string>, 'versionchange'>;
export type Migration = (db: IDBPDatabase<unknown>, tx: UpgradeTransaction) => void | Promise<void>;

export const MIGRATIONS: readonly Migration[] = [
  // v0 → v1: identity, history, outbox, peer directory, settings.
  (db) => {
    db.createObjectStore('identity');
    const messages = db.createObjectStore('messages', { keyPath: 'msgId' });
    // msgId closes the key so messages with equal ts still have a total order to page across.
    messages.createIndex('by-conversation-ts', ['conversation', 'ts', 'msgId']);
    const outbox = db.createObjectStore('outbox', { keyPath: 'msgId' });
    outbox.createIndex('by-next-attempt', 'nextAttemptAt');
    outbox.createIndex('by-to', 'to');
    const peers = db.createObjectStore('peers', { keyPath: 'peerId' });
    peers.createIndex('by-last-seen', 'lastSeen');
    db.createObjectStore('settings');
  },
  // v1 → v2: store-and-forward for offline peers, exactly-once display.
  (db) => {
    const carried = db.createObjectStore('carried', { keyPath: 'envelopeId' });
    carried.createIndex('by-to', 'to');
    carried.createIndex('by-origin', 'origin');
    carried.createIndex('by-expires', 'expiresAt');
    const seen = db.createObjectStore('seen', { keyPath: 'msgId' });
    seen.createIndex('by-seen-at', 'seenAt');
  },
];

export const LATEST_VERSION = MIGRATIONS.length;

/** Runs every migration after `oldVersion` up to `newVersion`, in order, in the upgrade tx. */
export async function runMigrations(
  db: IDBPDatabase<unknown>,
  tx: UpgradeTransaction,
  oldVersion: number,
  newVersion: number,
): Promise<void> {
  for (let v = oldVersion; v < newVersion; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) throw new RangeError(`no migration from schema version ${v}`);
    await migrate(db, tx);
  }
}
