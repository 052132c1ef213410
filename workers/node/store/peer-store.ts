/**
 * The peer directory: everyone this device has met, kept after they leave so their conversation
 * can still be opened. Keys are checked against the peer id on the way in: the id is derived from
 * the public key, so a record that disagrees is a forgery (or a bug) and must never be stored.
 */
import { MeshError } from '../../../src/protocol/errors.ts';
import { publicKeyMatchesPeerId } from '../../../src/protocol/identity.ts';
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';
import { deleteIfPresent, settle } from './tx.ts';
import type { PeerRecord } from './types.ts';

export type PeerUpdate = Pick<PeerRecord, 'peerId' | 'publicKey'> &
  Partial<Omit<PeerRecord, 'peerId' | 'publicKey'>>;

export interface PeerStore {
  /**
   * Inserts or merges: fields not given keep their stored value; lastSeen never moves backwards.
   * Throws MeshError 'bad-identity' if publicKey does not hash to peerId.
   */
  upsert(update: PeerUpdate, now?: number): Promise<PeerRecord>;
  get(peerId: string): Promise<PeerRecord | undefined>;
  /** Most recently seen first. */
  list(): Promise<PeerRecord[]>;
  touch(peerId: string, at?: number): Promise<boolean>;
  setFeedback(peerId: string, feedback: PeerRecord['feedback']): Promise<boolean>;
  remove(peerId: string): Promise<boolean>;
}

export function createPeerStore(db: MeshDb, clock: () => number = Date.now): PeerStore {
  const modify = (op: string, peerId: string, change: (p: PeerRecord) => PeerRecord | undefined) =>
    storageOp(op, () => {
      const tx = db.transaction('peers', 'readwrite');
      return settle(tx, async () => {
        const cur = await tx.store.get(peerId);
        const next = cur && change(cur);
        if (!next) return false;
        await tx.store.put(next);
        return true;
      });
    });

  return {
    async upsert(update, now = clock()) {
      // Checked before the transaction: hashing is WebCrypto, which would let it auto-commit.
      if (!(await publicKeyMatchesPeerId(update.publicKey, update.peerId))) {
        throw new MeshError('bad-identity', `public key does not match peer id ${update.peerId}`);
      }
      return storageOp('save peer', () => {
        const tx = db.transaction('peers', 'readwrite');
        return settle(tx, async () => {
          const cur = await tx.store.get(update.peerId);
          const merged: PeerRecord = {
            ...cur,
            ...stripUndefined(update),
            peerId: update.peerId,
            publicKey: update.publicKey,
            name: update.name ?? cur?.name ?? '',
            lastSeen: Math.max(cur?.lastSeen ?? 0, update.lastSeen ?? now),
          };
          await tx.store.put(merged);
          return merged;
        });
      });
    },

    get: (peerId) => storageOp('read peer', () => db.get('peers', peerId)),

    list: () =>
      storageOp('list peers', async () =>
        (await db.getAllFromIndex('peers', 'by-last-seen')).reverse(),
      ),

    touch: (peerId, at = clock()) =>
      modify('touch peer', peerId, (p) => (at > p.lastSeen ? { ...p, lastSeen: at } : undefined)),

    setFeedback: (peerId, feedback) =>
      modify('set peer feedback', peerId, (p) => {
        const next = { ...p, feedback };
        if (feedback === undefined) delete next.feedback;
        return next;
      }),

    remove: (peerId) => storageOp('remove peer', () => deleteIfPresent(db, 'peers', peerId)),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
