/**
 * Signed end-to-end delivery receipts (layout: envelope-layout.ts). Only the recipient's identity
 * key can produce one, so a relay cannot fake delivery and make the sender drop its outbox copy.
 */
import { concatBytes } from './bytes.ts';
import { MeshError } from './errors.ts';
import {
  publicKeyMatchesPeerId,
  SIGNATURE_BYTES,
  verifySignature,
  type Identity,
} from './identity.ts';
import {
  badIds,
  EnvelopeKind,
  parseEnvelopeHeader,
  RECEIPT_BYTES,
  ROUTING_HEADER_BYTES,
  SIGNING_CONTEXT,
  writeEnvelopeHeader,
} from './envelope-layout.ts';

export interface Receipt {
  /** Who signed: the recipient of the acknowledged message. */
  from: string;
  /** Who it is for: the sender of the acknowledged message. */
  to: string;
  msgId: string;
}

/** `identity` acknowledges message `msgId` sent to it by peer `to`. */
export async function signReceipt(
  identity: Identity,
  msgId: string,
  to: string,
): Promise<Uint8Array> {
  const invalid = badIds(identity.peerId, to, msgId);
  if (invalid) throw new MeshError('bad-message', invalid);
  const out = new Uint8Array(RECEIPT_BYTES);
  writeEnvelopeHeader(out, EnvelopeKind.receipt, identity.peerId, to, msgId);
  const body = out.subarray(0, ROUTING_HEADER_BYTES);
  out.set(await identity.sign(concatBytes(SIGNING_CONTEXT.receipt, body)), ROUTING_HEADER_BYTES);
  return out;
}

/**
 * Checks a receipt against the signer's Ed25519 public key (looked up by the receipt's `from`).
 * Throws MeshError 'bad-frame' / 'bad-version' for malformed bytes and 'bad-signature' for a key
 * that is not `from`'s or a signature that does not verify. Callers still match msgId and `to`
 * against their outbox entry.
 */
export async function verifyReceipt(
  bytes: Uint8Array,
  signerPublicKey: Uint8Array,
): Promise<Receipt> {
  const parsed = parseEnvelopeHeader(bytes);
  if (!parsed.ok) throw parsed.error;
  const { kind, from, to, msgId } = parsed.value;
  if (kind !== 'receipt') throw new MeshError('bad-frame', 'not a receipt');
  if (!(await publicKeyMatchesPeerId(signerPublicKey, from))) {
    throw new MeshError('bad-signature', 'receipt key does not match its signer id');
  }
  const signed = concatBytes(SIGNING_CONTEXT.receipt, bytes.subarray(0, ROUTING_HEADER_BYTES));
  const signature = bytes.subarray(ROUTING_HEADER_BYTES, ROUTING_HEADER_BYTES + SIGNATURE_BYTES);
  if (!(await verifySignature(signerPublicKey, signature, signed))) {
    throw new MeshError('bad-signature', 'receipt signature does not verify');
  }
  return { from, to, msgId };
}
