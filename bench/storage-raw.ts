/**
 * The baseline: the same `messages` object store (keyPath msgId, index [conversation, ts, msgId])
 * written and read with nothing but the plain IndexedDB API, so the bench shows what the store's
 * layers (idb wrapper, typed errors, duplicate handling, flags) cost on top of it.
 */
import type { StoredMessage } from '../workers/node/store/types.ts';

const STORE = 'messages';
const INDEX = 'by-conversation-ts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new DOMException('request failed', 'UnknownError'));
  });
}

/** Resolves when the transaction has committed (complete), rejects on error or abort. */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new DOMException('transaction failed', 'UnknownError'));
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}

export async function openRawDb(name: string): Promise<IDBDatabase> {
  await request(indexedDB.deleteDatabase(name) as IDBRequest<unknown>);
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    const store = req.result.createObjectStore(STORE, { keyPath: 'msgId' });
    store.createIndex(INDEX, ['conversation', 'ts', 'msgId']);
  };
  return request(req);
}

/** Every record in ONE readwrite transaction, requests issued back to back. */
export function bulkPut(db: IDBDatabase, msgs: readonly StoredMessage[]): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite');
  const store = tx.objectStore(STORE);
  for (const m of msgs) store.put(m);
  return committed(tx);
}

/**
 * Bulk `add` in one transaction with a success/error handler per request, the way a store that
 * reports "newly stored or duplicate" per message must issue them: what the flags alone cost.
 */
export function bulkAddObserved(
  db: IDBDatabase,
  msgs: readonly StoredMessage[],
): Promise<boolean[]> {
  const tx = db.transaction(STORE, 'readwrite');
  const store = tx.objectStore(STORE);
  const added = new Array<boolean>(msgs.length).fill(false);
  msgs.forEach((m, i) => {
    const req = store.add(m);
    req.onsuccess = () => {
      added[i] = true;
    };
    req.onerror = (event) => {
      // A duplicate must not abort the batch (none occur here; the handler is the point).
      if (req.error?.name === 'ConstraintError') event.preventDefault();
    };
  });
  return committed(tx).then(() => added);
}

/** One transaction per record, each awaited before the next (a naive per-message writer). */
export async function putEach(db: IDBDatabase, msgs: readonly StoredMessage[]): Promise<void> {
  for (const m of msgs) {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(m);
    await committed(tx);
  }
}

export function clearMessages(db: IDBDatabase): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).clear();
  return committed(tx);
}

export function countMessages(db: IDBDatabase): Promise<number> {
  return request(db.transaction(STORE).objectStore(STORE).count());
}

/** Naive newest-N: read the whole store, keep one conversation, sort by the index's order. */
export async function newestByFullScan(
  db: IDBDatabase,
  conversation: string,
  limit: number,
): Promise<StoredMessage[]> {
  const all = (await request(db.transaction(STORE).objectStore(STORE).getAll())) as StoredMessage[];
  return all
    .filter((m) => m.conversation === conversation)
    .sort((a, b) => b.ts - a.ts || (a.msgId < b.msgId ? 1 : a.msgId > b.msgId ? -1 : 0))
    .slice(0, limit);
}

/** Less naive: getAll over the conversation's index range (ascending), then the last N. */
export async function newestByIndexGetAll(
  db: IDBDatabase,
  conversation: string,
  limit: number,
): Promise<StoredMessage[]> {
  const range = IDBKeyRange.bound([conversation], [conversation, []]);
  const index = db.transaction(STORE).objectStore(STORE).index(INDEX);
  const rows = (await request(index.getAll(range))) as StoredMessage[];
  return rows.slice(-limit).reverse();
}
