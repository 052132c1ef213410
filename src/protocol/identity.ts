/**
 * Device identity: an Ed25519 key pair made once per device. The peer id is derived from the
 * public key (first 16 bytes of its SHA-256, hex), so ids are self-certifying: anyone holding the
 * public key can check an id, and the signaling server cannot impersonate a peer.
 *
 * The private key is generated non-extractable; CryptoKey objects are structured-cloneable, so
 * the key pair itself is what gets persisted (in IndexedDB by the node worker).
 */
import { asBufferSource, toHex } from './bytes.ts';
import { MeshError } from './errors.ts';

export const PEER_ID_BYTES = 16;
export const PEER_ID_HEX_LENGTH = PEER_ID_BYTES * 2;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

const ED25519 = { name: 'Ed25519' } as const;
const PEER_ID_RE = /^[0-9a-f]{32}$/;

export function isPeerId(s: unknown): s is string {
  return typeof s === 'string' && PEER_ID_RE.test(s);
}

export interface Identity {
  readonly peerId: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  readonly keyPair: CryptoKeyPair;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export async function peerIdBytesFromPublicKey(publicKey: Uint8Array): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', asBufferSource(publicKey));
  return new Uint8Array(digest, 0, PEER_ID_BYTES);
}

export async function peerIdFromPublicKey(publicKey: Uint8Array): Promise<string> {
  return toHex(await peerIdBytesFromPublicKey(publicKey));
}

/** A new identity with a non-extractable private key. */
export async function generateIdentity(): Promise<Identity> {
  const keyPair = (await crypto.subtle.generateKey(ED25519, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return identityFromKeyPair(keyPair);
}

/** Rebuild an Identity from a persisted key pair (e.g. read back from IndexedDB). */
export async function identityFromKeyPair(keyPair: CryptoKeyPair): Promise<Identity> {
  if (keyPair.privateKey.algorithm.name !== 'Ed25519') {
    throw new MeshError('bad-identity', 'stored key pair is not Ed25519');
  }
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', keyPair.publicKey));
  const peerId = await peerIdFromPublicKey(publicKey);
  return {
    peerId,
    publicKey,
    keyPair,
    async sign(data) {
      return new Uint8Array(
        await crypto.subtle.sign(ED25519, keyPair.privateKey, asBufferSource(data)),
      );
    },
  };
}

/**
 * Verifies `signature` over `data` by the holder of `publicKey`. Returns false (never throws) for
 * a malformed key or signature: callers turn that into a typed rejection.
 */
export async function verifySignature(
  publicKey: Uint8Array,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    const key = await crypto.subtle.importKey('raw', asBufferSource(publicKey), ED25519, false, [
      'verify',
    ]);
    return await crypto.subtle.verify(
      ED25519,
      key,
      asBufferSource(signature),
      asBufferSource(data),
    );
  } catch {
    // importKey rejects points that are not on the curve: that is simply an invalid signature.
    return false;
  }
}

/** True when `publicKey` is the key behind `peerId`. */
export async function publicKeyMatchesPeerId(
  publicKey: Uint8Array,
  peerIdHex: string,
): Promise<boolean> {
  if (publicKey.length !== PUBLIC_KEY_BYTES || !isPeerId(peerIdHex)) return false;
  return (await peerIdFromPublicKey(publicKey)) === peerIdHex;
}
