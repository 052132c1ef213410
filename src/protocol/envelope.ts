/**
 * End-to-end sealing of direct messages (layout: envelope-layout.ts). Relays and carriers see only
 * the routing header; the body is readable by the holder of the recipient's X25519 key alone, and
 * the sender's Ed25519 signature makes any change to any byte detectable.
 *
 * Ephemeral-static ECDH: each envelope uses a fresh X25519 key pair, so envelopes are unlinkable
 * to each other beyond their headers, and sealing needs no handshake with an offline recipient.
 */
import { asBufferSource, concatBytes, randomBytes } from './bytes.ts';
import { MeshError } from './errors.ts';
import {
  publicKeyMatchesPeerId,
  SIGNATURE_BYTES,
  verifySignature,
  type Identity,
} from './identity.ts';
import {
  badIds,
  ENVELOPE_VERSION,
  EnvelopeKind,
  GCM_TAG_BYTES,
  HKDF_INFO_LABEL,
  ENVELOPE_ID_BYTES,
  IV_BYTES,
  MAX_ENVELOPE_BYTES,
  parseEnvelopeHeader,
  ROUTING_HEADER_BYTES,
  SALT_BYTES,
  SEALED_HEADER_BYTES,
  SIGNING_CONTEXT,
  writeEnvelopeHeader,
  X25519_PUBLIC_KEY_BYTES,
} from './envelope-layout.ts';

export * from './envelope-layout.ts';
export * from './envelope-receipt.ts';

const X25519 = { name: 'X25519' } as const;

export interface SealParams {
  sender: Identity;
  recipientId: string;
  /** Raw 32-byte X25519 public key of the recipient (from the peer directory). */
  recipientDhPublicKey: Uint8Array;
  msgId: string;
  plaintext: Uint8Array;
}

export interface OpenParams {
  bytes: Uint8Array;
  recipient: { peerId: string; dhPrivateKey: CryptoKey };
  /** Raw Ed25519 public key of the sender named in the header (from the peer directory). */
  senderPublicKey: Uint8Array;
}

export interface OpenedEnvelope {
  msgId: string;
  senderId: string;
  plaintext: Uint8Array;
}

/** ECDH → HKDF-SHA-256 → AES-GCM-256 key bound to version, sender and recipient. */
async function messageKey(
  privateKey: CryptoKey,
  peerPublicRaw: Uint8Array,
  salt: Uint8Array,
  header: Uint8Array,
  usage: 'encrypt' | 'decrypt',
): Promise<CryptoKey> {
  const peerPublic = await crypto.subtle.importKey(
    'raw',
    asBufferSource(peerPublicRaw),
    X25519,
    false,
    [],
  );
  const shared = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'X25519', public: peerPublic }, privateKey, 256),
  );
  // A low-order public key forces an all-zero secret anyone can compute: refuse it.
  if (shared.every((b) => b === 0)) throw new MeshError('decrypt-failed', 'degenerate shared key');
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const info = concatBytes(
    HKDF_INFO_LABEL,
    Uint8Array.of(ENVELOPE_VERSION),
    header.subarray(2, 2 + 2 * ENVELOPE_ID_BYTES), // sender id || recipient id
  );
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: asBufferSource(salt), info: asBufferSource(info) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/** Seals `plaintext` for one recipient and signs the result as `sender`. */
export async function sealEnvelope(p: SealParams): Promise<Uint8Array> {
  const invalid = badIds(p.sender.peerId, p.recipientId, p.msgId);
  if (invalid) throw new MeshError('bad-message', invalid);
  if (p.recipientDhPublicKey.length !== X25519_PUBLIC_KEY_BYTES) {
    throw new MeshError('bad-identity', 'recipient X25519 key must be 32 raw bytes');
  }
  const total = SEALED_HEADER_BYTES + p.plaintext.length + GCM_TAG_BYTES + SIGNATURE_BYTES;
  if (total > MAX_ENVELOPE_BYTES) throw new MeshError('oversize', 'message too large to seal');

  const ephemeral = (await crypto.subtle.generateKey(X25519, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const header = new Uint8Array(SEALED_HEADER_BYTES);
  writeEnvelopeHeader(header, EnvelopeKind.sealed, p.sender.peerId, p.recipientId, p.msgId);
  const ephemeralPublic = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  header.set(ephemeralPublic, ROUTING_HEADER_BYTES);
  header.set(salt, ROUTING_HEADER_BYTES + X25519_PUBLIC_KEY_BYTES);
  header.set(iv, ROUTING_HEADER_BYTES + X25519_PUBLIC_KEY_BYTES + SALT_BYTES);

  let key: CryptoKey;
  try {
    key = await messageKey(ephemeral.privateKey, p.recipientDhPublicKey, salt, header, 'encrypt');
  } catch (e) {
    throw new MeshError('bad-identity', 'recipient X25519 key is unusable', { cause: e });
  }
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: asBufferSource(iv), additionalData: header },
      key,
      asBufferSource(p.plaintext),
    ),
  );
  const body = concatBytes(header, ciphertext);
  const signature = await p.sender.sign(concatBytes(SIGNING_CONTEXT.envelope, body));
  return concatBytes(body, signature);
}

/**
 * Verifies and decrypts an envelope addressed to `recipient`. Throws MeshError: 'bad-frame' or
 * 'bad-version' (not an envelope), 'bad-signature' (not from the key behind the sender id, or
 * altered in transit), 'decrypt-failed' (not for us, or not decryptable with our key).
 */
export async function openEnvelope(p: OpenParams): Promise<OpenedEnvelope> {
  const { bytes } = p;
  const parsed = parseEnvelopeHeader(bytes);
  if (!parsed.ok) throw parsed.error;
  const h = parsed.value;
  if (h.kind !== 'sealed') throw new MeshError('bad-frame', 'not a sealed envelope');

  // The signature proves origin only if the key really is the one behind the claimed sender id.
  if (!(await publicKeyMatchesPeerId(p.senderPublicKey, h.from))) {
    throw new MeshError('bad-signature', 'sender key does not match the sender id');
  }
  const signedEnd = bytes.length - SIGNATURE_BYTES;
  const signed = concatBytes(SIGNING_CONTEXT.envelope, bytes.subarray(0, signedEnd));
  if (!(await verifySignature(p.senderPublicKey, bytes.subarray(signedEnd), signed))) {
    throw new MeshError('bad-signature', 'envelope signature does not verify');
  }
  if (h.to !== p.recipient.peerId) {
    throw new MeshError('decrypt-failed', 'envelope is addressed to another peer');
  }

  const header = bytes.slice(0, SEALED_HEADER_BYTES);
  const at = ROUTING_HEADER_BYTES;
  const ephemeralPublic = header.subarray(at, at + X25519_PUBLIC_KEY_BYTES);
  const salt = header.subarray(
    at + X25519_PUBLIC_KEY_BYTES,
    at + X25519_PUBLIC_KEY_BYTES + SALT_BYTES,
  );
  const iv = header.subarray(SEALED_HEADER_BYTES - IV_BYTES);
  try {
    const key = await messageKey(
      p.recipient.dhPrivateKey,
      ephemeralPublic,
      salt,
      header,
      'decrypt',
    );
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: asBufferSource(iv.slice()), additionalData: header },
      key,
      bytes.slice(SEALED_HEADER_BYTES, signedEnd),
    );
    return { msgId: h.msgId, senderId: h.from, plaintext: new Uint8Array(plaintext) };
  } catch (e) {
    throw new MeshError('decrypt-failed', 'envelope does not decrypt with our key', { cause: e });
  }
}
