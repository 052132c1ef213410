/**
 * The mesh wire format: every byte crossing a Link is one frame.
 *
 * ```
 * offset 0  version u8   (FRAME_VERSION; anything else is rejected, not guessed at)
 *        1  type    u8   (FrameType)
 *        2  ttl     u8   (hops left for routed/flooded frames, 0 otherwise)
 *        3  hops    u8   (hops travelled so far, 0 otherwise)
 *        4  body    …    (per type, below; ids are raw bytes on the wire, hex in the union)
 * ```
 * Signed frames put the 64-byte Ed25519 signature LAST; it covers the whole encoding with the
 * mutable fields (ttl, hops, advert age, relay lists) zeroed/emptied — see
 * frame-signing.ts. Relays may change exactly those fields and nothing else.
 */

export const FRAME_VERSION = 1;
/** Larger than any frame we build; a data channel message above this is rejected unparsed. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const HEADER_BYTES = 4;
export const ID_BYTES = 16;
export const MSG_ID_BYTES = 16;
export const NONCE_BYTES = 16;
export const MAX_BODY_BYTES = 60 * 1024;
/** Signals are SDP/ICE: small; a bound keeps a relay from carrying bulk data as "signals". */
export const MAX_SIGNAL_BODY_BYTES = 16 * 1024;
export const MAX_ADVERT_LINKS = 255;
export const MAX_RELAYS = 64;
/** Entries per summary/request frame: keeps each under MAX_FRAME_BYTES. */
export const MAX_SUMMARY_ENTRIES = 3000;

export const FrameType = {
  hello: 1,
  proof: 2,
  ping: 3,
  pong: 4,
  advert: 5,
  data: 6,
  broadcast: 7,
  signal: 8,
  bye: 9,
  summary: 10,
  request: 11,
  ihave: 12,
  iwant: 13,
} as const;
export type FrameTypeName = keyof typeof FrameType;

/** First handshake frame, both directions at once. */
export interface HelloFrame {
  type: 'hello';
  publicKey: Uint8Array; // 32 bytes; the sender's peer id is derived from it
  nonce: Uint8Array; // 16 fresh random bytes
  name: string;
}

/** Second handshake frame: Ed25519 over proofBytes(signer, verifier) — both ids, both nonces. */
export interface ProofFrame {
  type: 'proof';
  sig: Uint8Array;
}

/** RTT probe; the pong echoes seq and sentAt so the prober keeps no per-ping state it must trust. */
export interface PingFrame {
  type: 'ping' | 'pong';
  seq: number; // u32
  sentAt: number; // f64, prober's clock
}

export interface AdvertLinkEntry {
  peer: string;
  cost: number; // u16
}

/** Link-state advert: the origin's view of its direct links, signed by the origin. */
export interface AdvertFrame {
  type: 'advert';
  ttl: number;
  hops: number;
  origin: string;
  seq: number; // u32, bumped on every change or refresh
  lifetimeS: number; // u16, seconds the origin vouches for this advert (signed)
  ageS: number; // u16, seconds it sat in caches before this send (mutable, not signed)
  publicKey: Uint8Array;
  name: string;
  links: AdvertLinkEntry[];
  /** Relay selection of the node sending this copy, as for broadcasts (mutable, not signed). */
  relays: string[];
  sig: Uint8Array;
}

/** Routed unicast (kind data) or routed WebRTC re-signaling (kind signal), signed by src. */
export interface RoutedFrame {
  type: 'data' | 'signal';
  ttl: number;
  hops: number;
  src: string;
  dst: string;
  msgId: string;
  body: Uint8Array;
  sig: Uint8Array;
}

/**
 * Room-wide broadcast. `relays` is the sender-of-this-copy's relay selection (multipoint relays):
 * only listed neighbours re-forward. It is rewritten at every hop and therefore not signed.
 */
export interface BroadcastFrame {
  type: 'broadcast';
  ttl: number;
  hops: number;
  src: string;
  msgId: string;
  relays: string[];
  body: Uint8Array;
  sig: Uint8Array;
}

export const ByeReason = {
  normal: 0,
  overCapacity: 1,
  redundant: 2,
  malformed: 3,
  handshakeFailed: 4,
  shutdown: 5,
  duplicate: 6,
} as const;
export type ByeReasonName = keyof typeof ByeReason;

/** Graceful close: the receiver closes the link without treating it as a failure. */
export interface ByeFrame {
  type: 'bye';
  reason: ByeReasonName;
  text: string;
}

/** Link-state database summary sent when a link comes up: (origin, seq) of every advert held. */
export interface SummaryFrame {
  type: 'summary';
  entries: { origin: string; seq: number }[];
}

/** Pull of the adverts a summary showed newer than ours. */
export interface RequestFrame {
  type: 'request';
  origins: string[];
}

/**
 * Lazy broadcast repair (as in Plumtree): `ihave` lists broadcasts a neighbour may have missed
 * (the tree it was pushed along was drawn from a picture that was changing); `iwant` pulls them.
 */
export interface DigestFrame {
  type: 'ihave' | 'iwant';
  ids: { src: string; msgId: string }[];
}

/** Entries per ihave/iwant frame. */
export const MAX_DIGEST_ENTRIES = 1000;

export type Frame =
  | HelloFrame
  | ProofFrame
  | PingFrame
  | AdvertFrame
  | RoutedFrame
  | BroadcastFrame
  | ByeFrame
  | SummaryFrame
  | RequestFrame
  | DigestFrame;
