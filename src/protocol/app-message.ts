/**
 * What travels inside the body of a mesh data/broadcast frame: one type byte, then the type's
 * bytes. The mesh core routes bodies without reading them; the node worker parses them here into
 * this union or a typed error.
 *
 * ```
 * 1 room     broadcast  msg id (16) | chat payload (JSON, chat.ts); the mesh frame's signature
 *                       covers it. The id is the author's, so a re-broadcast after a crash is
 *                       recognised as the same message.
 * 2 dm       direct     sender Ed25519 key (32) | sealed envelope (envelope.ts)
 * 3 receipt  direct     signed receipt (envelope-receipt.ts)
 * 4 carry    direct     a dm (2) or receipt (3) message for someone else: hold it until they
 *                       are reachable, then deliver it as it is (carriers read only its header)
 * 5 card?    direct     our card; asks for theirs
 * 6 card     direct     a card in answer
 * 7 carried  direct     addressee's key (32) | its signed receipt for a carried message: proof
 *                       for the carrier that the addressee has it, so the carrier may drop it
 * ```
 * A card tells a peer how to seal to us: our X25519 key, signed with our identity key (whose hash
 * is our peer id, so a card is self-certifying wherever it came from).
 */
import { asBufferSource, concatBytes, fromHex, toHex } from './bytes.ts';
import { fail, ok, type Result } from './errors.ts';
import {
  ENVELOPE_ID_BYTES,
  parseEnvelopeHeader,
  type EnvelopeRoutingHeader,
  X25519_PUBLIC_KEY_BYTES,
} from './envelope.ts';
import {
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  publicKeyMatchesPeerId,
  verifySignature,
  type Identity,
} from './identity.ts';

export const AppType = {
  room: 1,
  dm: 2,
  receipt: 3,
  carry: 4,
  cardRequest: 5,
  card: 6,
  carryAck: 7,
} as const;

export interface Card {
  publicKey: Uint8Array;
  dhPublicKey: Uint8Array;
  sig: Uint8Array;
}

export type AppMessage =
  | { t: 'room'; msgId: string; chat: Uint8Array }
  | { t: 'dm'; senderKey: Uint8Array; envelope: Uint8Array; header: EnvelopeRoutingHeader }
  | { t: 'receipt'; receipt: Uint8Array; header: EnvelopeRoutingHeader }
  | { t: 'carry'; inner: Uint8Array; header: EnvelopeRoutingHeader }
  | { t: 'card-request'; card: Card }
  | { t: 'card'; card: Card }
  | { t: 'carry-ack'; ackerKey: Uint8Array; receipt: Uint8Array; header: EnvelopeRoutingHeader };

const CARD_BYTES = PUBLIC_KEY_BYTES + X25519_PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
const CARD_CONTEXT = new TextEncoder().encode('katya-mesh/card/v1\0');

export function encodeRoom(msgId: string, chat: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(AppType.room), fromHex(msgId)!, chat);
}
export function encodeDm(senderKey: Uint8Array, envelope: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(AppType.dm), senderKey, envelope);
}
export function encodeReceipt(receipt: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(AppType.receipt), receipt);
}
/** `inner` is an encoded dm or receipt message. */
export function encodeCarry(inner: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(AppType.carry), inner);
}
/** `receipt` is signed by the addressee of a carried message (whose key is `ackerKey`). */
export function encodeCarryAck(ackerKey: Uint8Array, receipt: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(AppType.carryAck), ackerKey, receipt);
}
export function encodeCard(card: Card, request: boolean): Uint8Array {
  const type = request ? AppType.cardRequest : AppType.card;
  return concatBytes(Uint8Array.of(type), card.publicKey, card.dhPublicKey, card.sig);
}

export async function makeCard(identity: Identity, dhPublicKey: Uint8Array): Promise<Card> {
  const sig = await identity.sign(concatBytes(CARD_CONTEXT, dhPublicKey));
  return { publicKey: identity.publicKey, dhPublicKey, sig };
}

/** True when the card is `peerId`'s own, signed by the key behind that id. */
export async function verifyCard(card: Card, peerId: string): Promise<boolean> {
  if (!(await publicKeyMatchesPeerId(card.publicKey, peerId))) return false;
  return verifySignature(
    card.publicKey,
    card.sig,
    asBufferSource(concatBytes(CARD_CONTEXT, card.dhPublicKey)),
  );
}

function parseCard(b: Uint8Array): Result<Card> {
  if (b.length !== CARD_BYTES) return fail('bad-message', 'card has the wrong size');
  return ok({
    publicKey: b.slice(0, PUBLIC_KEY_BYTES),
    dhPublicKey: b.slice(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES + X25519_PUBLIC_KEY_BYTES),
    sig: b.slice(PUBLIC_KEY_BYTES + X25519_PUBLIC_KEY_BYTES),
  });
}

export function parseAppMessage(bytes: Uint8Array): Result<AppMessage> {
  if (bytes.length < 1) return fail('bad-message', 'empty body');
  const rest = bytes.subarray(1);
  switch (bytes[0]) {
    case AppType.room:
      if (rest.length <= ENVELOPE_ID_BYTES) return fail('bad-message', 'room message too short');
      return ok({
        t: 'room',
        msgId: toHex(rest.subarray(0, ENVELOPE_ID_BYTES)),
        chat: rest.subarray(ENVELOPE_ID_BYTES),
      });
    case AppType.dm: {
      if (rest.length <= PUBLIC_KEY_BYTES) return fail('bad-message', 'dm too short');
      const envelope = rest.subarray(PUBLIC_KEY_BYTES);
      const h = parseEnvelopeHeader(envelope);
      if (!h.ok) return h;
      if (h.value.kind !== 'sealed')
        return fail('bad-message', 'dm does not hold a sealed envelope');
      return ok({ t: 'dm', senderKey: rest.slice(0, PUBLIC_KEY_BYTES), envelope, header: h.value });
    }
    case AppType.receipt: {
      const h = parseEnvelopeHeader(rest);
      if (!h.ok) return h;
      if (h.value.kind !== 'receipt')
        return fail('bad-message', 'receipt message without a receipt');
      return ok({ t: 'receipt', receipt: rest, header: h.value });
    }
    case AppType.carry: {
      const inner = parseAppMessage(rest);
      if (!inner.ok) return inner;
      const m = inner.value;
      if (m.t !== 'dm' && m.t !== 'receipt')
        return fail('bad-message', 'only dms and receipts are carried');
      return ok({ t: 'carry', inner: rest, header: m.header });
    }
    case AppType.cardRequest:
    case AppType.card: {
      const card = parseCard(rest);
      if (!card.ok) return card;
      return ok({ t: bytes[0] === AppType.card ? 'card' : 'card-request', card: card.value });
    }
    case AppType.carryAck: {
      if (rest.length <= PUBLIC_KEY_BYTES) return fail('bad-message', 'carry ack too short');
      const receipt = rest.subarray(PUBLIC_KEY_BYTES);
      const h = parseEnvelopeHeader(receipt);
      if (!h.ok) return h;
      if (h.value.kind !== 'receipt') return fail('bad-message', 'carry ack without a receipt');
      return ok({
        t: 'carry-ack',
        ackerKey: rest.slice(0, PUBLIC_KEY_BYTES),
        receipt,
        header: h.value,
      });
    }
    default:
      return fail('unknown-type', `unknown app message type ${bytes[0]}`);
  }
}
