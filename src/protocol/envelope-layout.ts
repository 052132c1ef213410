/**
 * Binary layouts of the end-to-end objects that ride inside mesh frames: the sealed direct-message
 * envelope and its signed receipt. DOM-free; shared by the node worker, tests and tools.
 *
 * Sealed envelope, version 1 (ids are raw bytes; their text form is lowercase hex):
 *
 *   off  len  field
 *     0    1  version = 1
 *     1    1  kind    = 1 (sealed direct message)
 *     2   16  sender peer id        ┐ routing header: all a relay or carrier can read
 *    18   16  recipient peer id     │
 *    34   16  msg id                ┘
 *    50   32  ephemeral X25519 public key (fresh per envelope)
 *    82   16  HKDF salt (random)
 *    98   12  AES-GCM IV (random)
 *   110    n  AES-GCM-256 ciphertext with its 16-byte tag (n >= 16)
 * 110+n   64  Ed25519 signature by the sender over SIGNING_CONTEXT.envelope || bytes[0, 110+n)
 *
 *   key = HKDF-SHA-256(ikm = X25519(ephemeral, recipient static), salt,
 *                      info = "katya-mesh/envelope" || version || sender id || recipient id)
 *   AAD = bytes[0, 110): the routing header (and the key-agreement fields), so a relay cannot
 *         re-address an envelope or graft its ciphertext onto another header.
 *
 * Receipt, version 1 (signed by the recipient, routed back to the original sender):
 *
 *     0    1  version = 1
 *     1    1  kind    = 2 (receipt)
 *     2   16  from: peer id of the signer (the message's recipient)
 *    18   16  to: peer id of the message's sender
 *    34   16  msg id acknowledged
 *    50   64  Ed25519 signature over SIGNING_CONTEXT.receipt || bytes[0, 50)
 *
 * Signatures cover a context string first so that bytes signed here can never be replayed as a
 * mesh frame (or vice versa), whose layout also starts with version and type bytes.
 */
import { fromHex, toHex } from './bytes.ts';
import { fail, ok, type Result } from './errors.ts';
import { isPeerId, SIGNATURE_BYTES } from './identity.ts';

export const ENVELOPE_VERSION = 1;
export const EnvelopeKind = { sealed: 1, receipt: 2 } as const;

export const ENVELOPE_ID_BYTES = 16;
export const X25519_PUBLIC_KEY_BYTES = 32;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export const ROUTING_HEADER_BYTES = 2 + 3 * ENVELOPE_ID_BYTES; // 50
export const SEALED_HEADER_BYTES =
  ROUTING_HEADER_BYTES + X25519_PUBLIC_KEY_BYTES + SALT_BYTES + IV_BYTES; // 110
export const MIN_SEALED_BYTES = SEALED_HEADER_BYTES + GCM_TAG_BYTES + SIGNATURE_BYTES;
export const RECEIPT_BYTES = ROUTING_HEADER_BYTES + SIGNATURE_BYTES; // 114
/** Fits one mesh frame body (60 KiB) with room to spare. */
export const MAX_ENVELOPE_BYTES = 56 * 1024;

const encoder = new TextEncoder();
export const SIGNING_CONTEXT = {
  envelope: encoder.encode('katya-mesh/envelope/v1\0'),
  receipt: encoder.encode('katya-mesh/receipt/v1\0'),
} as const;
export const HKDF_INFO_LABEL = encoder.encode('katya-mesh/envelope');

/** The cleartext part of an envelope or receipt: enough to route it, nothing more. */
export interface EnvelopeRoutingHeader {
  kind: 'sealed' | 'receipt';
  /** Sealed: the sender. Receipt: the signer (the message's recipient). */
  from: string;
  to: string;
  msgId: string;
}

const MSG_ID_RE = /^[0-9a-f]{32}$/;
export function isMsgId(s: unknown): s is string {
  return typeof s === 'string' && MSG_ID_RE.test(s);
}

/** Writes version, kind and the three ids; ids must already be validated hex. */
export function writeEnvelopeHeader(
  out: Uint8Array,
  kind: number,
  from: string,
  to: string,
  msgId: string,
): void {
  out[0] = ENVELOPE_VERSION;
  out[1] = kind;
  out.set(fromHex(from)!, 2);
  out.set(fromHex(to)!, 2 + ENVELOPE_ID_BYTES);
  out.set(fromHex(msgId)!, 2 + 2 * ENVELOPE_ID_BYTES);
}

/**
 * Reads the routing header of an envelope or receipt, checking version, kind and exact sizes.
 * This is all a relay or carrier needs (and all it can learn).
 */
export function parseEnvelopeHeader(bytes: Uint8Array): Result<EnvelopeRoutingHeader> {
  if (bytes.length < ROUTING_HEADER_BYTES) return fail('bad-frame', 'envelope too short');
  if (bytes[0] !== ENVELOPE_VERSION) return fail('bad-version', `envelope version ${bytes[0]}`);
  const kind =
    bytes[1] === EnvelopeKind.sealed
      ? 'sealed'
      : bytes[1] === EnvelopeKind.receipt
        ? 'receipt'
        : undefined;
  if (!kind) return fail('bad-frame', `unknown envelope kind ${bytes[1]}`);
  if (kind === 'receipt' && bytes.length !== RECEIPT_BYTES) {
    return fail('bad-frame', 'receipt has the wrong size');
  }
  if (kind === 'sealed' && (bytes.length < MIN_SEALED_BYTES || bytes.length > MAX_ENVELOPE_BYTES)) {
    return fail('bad-frame', 'sealed envelope has an impossible size');
  }
  return ok({
    kind,
    from: toHex(bytes.subarray(2, 2 + ENVELOPE_ID_BYTES)),
    to: toHex(bytes.subarray(2 + ENVELOPE_ID_BYTES, 2 + 2 * ENVELOPE_ID_BYTES)),
    msgId: toHex(bytes.subarray(2 + 2 * ENVELOPE_ID_BYTES, ROUTING_HEADER_BYTES)),
  });
}

/** Validates ids for writing; returns an error message or undefined. */
export function badIds(from: string, to: string, msgId: string): string | undefined {
  if (!isPeerId(from)) return 'sender id is not a peer id';
  if (!isPeerId(to)) return 'recipient id is not a peer id';
  if (!isMsgId(msgId)) return 'msg id is not 16 bytes of lowercase hex';
  return undefined;
}
