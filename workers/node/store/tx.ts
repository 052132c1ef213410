/**
 * Transaction helpers shared by the stores. Two IndexedDB facts shape them:
 * - a transaction auto-commits once no request is pending at the end of a task, so work inside
 *   one may await only IndexedDB requests;
 * - idb creates `tx.done` eagerly; if the transaction aborts and nobody awaits `done`, that is an
 *   unhandled rejection. `settle` therefore always awaits both the work and `done`.
 */
import { unwrap, type StoreKey, type StoreNames } from 'idb';
import type { MeshDb, MeshDbSchema } from './db.ts';

interface Tx {
  readonly done: Promise<void>;
  abort(): void;
}

function abortIfActive(tx: Tx): void {
  try {
    tx.abort();
  } catch (abortError) {
    // InvalidStateError: the transaction already finished, so there is nothing left to roll back;
    // the caller's original failure is the one worth reporting.
    if (!(abortError instanceof DOMException)) throw abortError;
  }
}

/**
 * Runs `work` inside `tx` and resolves once the transaction has committed. If `work` fails, the
 * transaction is aborted so none of its writes land: a store operation is all-or-nothing.
 */
export async function settle<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  const result = work().catch((e: unknown) => {
    abortIfActive(tx);
    throw e;
  });
  const [value] = await Promise.all([result, tx.done]);
  return value;
}

/** Deletes the record at `key` in a transaction of its own; true if there was one to delete. */
export function deleteIfPresent<S extends StoreNames<MeshDbSchema>>(
  db: MeshDb,
  store: S,
  key: StoreKey<MeshDbSchema, S>,
): Promise<boolean> {
  const tx = db.transaction(store, 'readwrite');
  return settle(tx, async () => {
    if ((await tx.store.getKey(key)) === undefined) return false;
    await tx.store.delete(key);
    return true;
  });
}

/**
 * Adds each value unless a record with its key exists; resolves to one flag per value (true =
 * added). One `add` request per value and no read-before-write, so a batch costs the same
 * requests as a raw bulk `put`. A duplicate's ConstraintError is cancelled (preventDefault), which
 * per the IndexedDB spec keeps the transaction alive; any other failure rejects and aborts.
 */
export function addIfAbsent<T>(store: object, values: readonly T[]): Promise<boolean[]> {
  const raw = (unwrap(store as never) ?? store) as unknown as IDBObjectStore;
  const added = new Array<boolean>(values.length).fill(false);
  if (values.length === 0) return Promise.resolve(added);
  return new Promise((resolve, reject) => {
    let pending = values.length;
    let failed = false;
    const finish = () => {
      if (--pending === 0 && !failed) resolve(added);
    };
    for (let i = 0; i < values.length; i++) {
      let request: IDBRequest;
      try {
        request = raw.add(values[i]);
      } catch (e) {
        // Synchronous failures (DataError: missing key, uncloneable value); the caller aborts.
        failed = true;
        reject(e);
        return;
      }
      request.onsuccess = () => {
        added[i] = true;
        finish();
      };
      request.onerror = (event) => {
        if (request.error?.name === 'ConstraintError') {
          event.preventDefault();
          event.stopPropagation();
          finish();
          return;
        }
        failed = true;
        reject(request.error ?? new DOMException('request failed', 'UnknownError'));
      };
    }
  });
}
