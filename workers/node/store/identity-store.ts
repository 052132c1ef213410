/**
 * This device's identity, made on first start and kept in IndexedDB. The private keys are
 * non-extractable CryptoKeys stored as they are (structured clone), so script on the page can use
 * them but never read them out.
 */
import {
  generateIdentity,
  identityFromKeyPair,
  type Identity,
} from '../../../src/protocol/identity.ts';
import { MeshError } from '../../../src/protocol/errors.ts';
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';
import type { IdentityRecord } from './types.ts';

const X25519 = { name: 'X25519' } as const;

export interface DhKeys {
  keyPair: CryptoKeyPair;
  /** Raw 32-byte X25519 public key, published to peers so they can seal envelopes to us. */
  publicKey: Uint8Array;
}

export interface LoadedIdentity {
  identity: Identity;
  dh: DhKeys;
}

async function generateRecord(now: number): Promise<IdentityRecord> {
  const identity = await generateIdentity();
  const dhKeyPair = (await crypto.subtle.generateKey(X25519, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  return { keyPair: identity.keyPair, dhKeyPair, createdAt: now };
}

function looksLikeRecord(v: unknown): v is IdentityRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<IdentityRecord>;
  return (
    r.keyPair?.privateKey?.algorithm.name === 'Ed25519' &&
    r.dhKeyPair?.privateKey?.algorithm.name === 'X25519' &&
    typeof r.createdAt === 'number'
  );
}

async function fromRecord(record: IdentityRecord): Promise<LoadedIdentity> {
  const identity = await identityFromKeyPair(record.keyPair);
  const publicKey = new Uint8Array(
    await crypto.subtle.exportKey('raw', record.dhKeyPair.publicKey),
  );
  return { identity, dh: { keyPair: record.dhKeyPair, publicKey } };
}

/**
 * Loads the stored identity, or makes and stores one on first start. Safe when two tabs race at
 * first start: key generation happens outside any transaction (a WebCrypto await would let it
 * auto-commit), then one readwrite transaction re-reads and writes only if still absent. Such
 * transactions are serialized by IndexedDB, so the loser adopts the winner's keys and both tabs
 * end up with the same peer id.
 */
export async function loadOrCreateIdentity(
  db: MeshDb,
  now: () => number = Date.now,
): Promise<LoadedIdentity> {
  const existing = await storageOp('read identity', () => db.get('identity', 'self'));
  if (existing !== undefined) return fromRecord(checked(existing));

  const fresh = await generateRecord(now());
  const stored = await storageOp('store identity', async () => {
    const tx = db.transaction('identity', 'readwrite');
    const current = await tx.store.get('self');
    if (current === undefined) await tx.store.add(fresh, 'self');
    await tx.done;
    return current ?? fresh;
  });
  return fromRecord(checked(stored));
}

function checked(v: unknown): IdentityRecord {
  if (!looksLikeRecord(v)) {
    // Never overwrite silently: replacing keys changes our peer id and orphans every contact.
    throw new MeshError('bad-identity', 'stored identity record is malformed');
  }
  return v;
}
