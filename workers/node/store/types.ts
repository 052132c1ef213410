/**
 * Record shapes of the node worker's IndexedDB. Plain structured-cloneable data only (CryptoKey
 * and Uint8Array included): these objects cross the Comlink boundary and the database as they are.
 */

/** This device's keys. Both private keys are non-extractable: they never leave WebCrypto. */
export interface IdentityRecord {
  /** Ed25519: signs frames, envelopes and receipts; the peer id is derived from its public key. */
  keyPair: CryptoKeyPair;
  /** X25519: the static key senders run ECDH against to seal direct messages to us. */
  dhKeyPair: CryptoKeyPair;
  createdAt: number;
}

export type Direction = 'in' | 'out';
/** 'failed': a direct message whose outbox entry expired unacknowledged (the user may retry). */
export type MessageStatus = 'queued' | 'sent' | 'failed' | 'delivered';

/** 'room' (the node's one room, as the worker API names it), 'room:<name>' or 'dm:<peerId>'. */
export type ConversationId = 'room' | `room:${string}` | `dm:${string}`;

export interface StoredMessage {
  msgId: string;
  conversation: ConversationId;
  /** Sender's peer id. */
  from: string;
  /** Sender's display name when the message arrived (names change; history keeps this one). */
  fromName?: string;
  /** Sender's clock: the order a conversation is shown in. */
  ts: number;
  /** Our clock when it was stored. */
  receivedAt: number;
  text: string;
  direction: Direction;
  /** Delivery state; outgoing messages only. */
  status?: MessageStatus;
  spam?: { score: number; flagged: boolean };
  hops?: number;
}

export interface OutboxRecord {
  msgId: string;
  /** Recipient peer id. */
  to: string;
  /** The sealed envelope, ready to send as it is. */
  envelope: Uint8Array;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  expiresAt: number;
}

export interface PeerRecord {
  peerId: string;
  name: string;
  /** Raw Ed25519 public key. */
  publicKey: Uint8Array;
  /** Raw X25519 public key, once the peer has told us. */
  dhPublicKey?: Uint8Array;
  lastSeen: number;
  /** The user's verdict on this peer's messages, fed back to screening. */
  feedback?: 'spam' | 'not-spam';
}

/** A sealed envelope we hold for an offline recipient; we can read only its routing header. */
export interface CarriedRecord {
  envelopeId: string;
  /** Peer id of the envelope's sender (quota is per origin so one peer cannot fill us up). */
  origin: string;
  to: string;
  bytes: Uint8Array;
  storedAt: number;
  expiresAt: number;
}

/** A message id already shown to the user: display is exactly once, across reloads. */
export interface SeenRecord {
  msgId: string;
  seenAt: number;
}
