/**
 * The node worker's one IndexedDB database: typed schema (latest version) and how to open it.
 * Versioned upgrades live in migrations.ts; this file only describes where they lead.
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { LATEST_VERSION, runMigrations, type UpgradeTransaction } from './migrations.ts';
import { storageOp } from './storage-errors.ts';
import type {
  CarriedRecord,
  IdentityRecord,
  OutboxRecord,
  PeerRecord,
  SeenRecord,
  StoredMessage,
} from './types.ts';

export const DEFAULT_DB_NAME = 'katya-mesh';

export interface MeshDbSchema extends DBSchema {
  identity: { key: 'self'; value: IdentityRecord };
  messages: {
    key: string;
    value: StoredMessage;
    indexes: { 'by-conversation-ts': [string, number, string] };
  };
  outbox: {
    key: string;
    value: OutboxRecord;
    indexes: { 'by-next-attempt': number; 'by-to': string };
  };
  peers: { key: string; value: PeerRecord; indexes: { 'by-last-seen': number } };
  carried: {
    key: string;
    value: CarriedRecord;
    indexes: { 'by-to': string; 'by-origin': string; 'by-expires': number };
  };
  seen: { key: string; value: SeenRecord; indexes: { 'by-seen-at': number } };
  /** Free-form key/value (screening strictness, UI preferences); values are structured clones. */
  settings: { key: string; value: unknown };
}

export type MeshDb = IDBPDatabase<MeshDbSchema>;
export type StoreName =
  'identity' | 'messages' | 'outbox' | 'peers' | 'carried' | 'seen' | 'settings';

export interface OpenMeshDbOptions {
  /** Database name: tests and several identities in one origin use separate databases. */
  name?: string;
  /** IDBFactory to open with (tests: a fresh fake-indexeddb factory). Defaults to the realm's. */
  indexedDB?: IDBFactory;
  /**
   * Schema version to open; only upgrade tests pass it (an older version opens a database whose
   * real shape is older than MeshDbSchema says). Defaults to the latest.
   */
  version?: number;
  /**
   * Another context (tab, worker) wants to upgrade the schema. Default: close this connection so
   * the upgrade is not blocked forever; later operations then fail with 'storage-failed'.
   */
  onVersionChange?: (db: MeshDb) => void;
}

/**
 * Opens (creating or upgrading) the database. Rejects with MeshError 'storage-failed' (or
 * 'storage-full') when IndexedDB is unavailable, the upgrade fails, or a newer schema exists.
 */
export function openMeshDb(opts: OpenMeshDbOptions = {}): Promise<MeshDb> {
  const version = opts.version ?? LATEST_VERSION;
  return storageOp('open database', async () => {
    // Inside storageOp: where IndexedDB is missing, reading the global throws, typed here.
    const factory = opts.indexedDB ?? indexedDB;
    // idb's openDB always uses the global factory; open by hand so one can be injected.
    const request = factory.open(opts.name ?? DEFAULT_DB_NAME, version);
    let upgradeError: unknown;
    request.addEventListener('upgradeneeded', (event) => {
      const raw = request.transaction;
      if (!raw) return;
      const tx = wrap(raw) as unknown as UpgradeTransaction;
      const db = wrap(request.result) as unknown as IDBPDatabase<unknown>;
      runMigrations(db, tx, event.oldVersion, event.newVersion ?? version).catch((e: unknown) => {
        // A half-applied upgrade must not commit: abort rolls the whole version change back.
        upgradeError = e;
        try {
          raw.abort();
        } catch (abortError) {
          // Already finished: the migration awaited something other than IndexedDB.
          upgradeError = new AggregateError([e, abortError], 'migration failed after commit');
        }
      });
    });
    let db: MeshDb;
    try {
      db = (await wrap(request)) as unknown as MeshDb;
    } catch (e) {
      throw upgradeError ?? e;
    }
    db.addEventListener('versionchange', () => {
      if (opts.onVersionChange) opts.onVersionChange(db);
      else db.close();
    });
    return db;
  });
}
