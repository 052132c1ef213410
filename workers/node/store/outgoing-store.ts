/**
 * "Stored before sent": an outgoing message and its outbox entry are written in ONE transaction,
 * so a tab closed at any moment leaves either both (the outbox sends it after restart) or
 * neither (the UI never showed it as written). There is no state in which the message is in the
 * history but nothing will ever send it.
 */
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';
import { settle } from './tx.ts';
import type { OutboxRecord, StoredMessage } from './types.ts';

export async function storeOutgoing(
  db: MeshDb,
  message: StoredMessage,
  outbox: OutboxRecord,
): Promise<void> {
  await storageOp('store outgoing message', () => {
    const tx = db.transaction(['messages', 'outbox'], 'readwrite');
    return settle(tx, async () => {
      await tx.objectStore('messages').add(message);
      await tx.objectStore('outbox').put(outbox);
    });
  });
}

/**
 * A failed outgoing message goes back to 'queued' with a fresh outbox entry, in one transaction
 * for the same reason as above. False (nothing written) unless the message is ours and failed.
 */
export function requeueOutgoing(db: MeshDb, outbox: OutboxRecord): Promise<boolean> {
  return storageOp('requeue outgoing message', () => {
    const tx = db.transaction(['messages', 'outbox'], 'readwrite');
    return settle(tx, async () => {
      const messages = tx.objectStore('messages');
      const msg = await messages.get(outbox.msgId);
      if (!msg || msg.direction !== 'out' || msg.status !== 'failed') return false;
      await messages.put({ ...msg, status: 'queued' });
      await tx.objectStore('outbox').put(outbox);
      return true;
    });
  });
}
