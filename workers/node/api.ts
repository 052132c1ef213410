/**
 * The node worker's control API (UI → worker through Comlink). Plain data in and out; packets
 * never travel this way (links have their own MessagePorts). The UI imports these with
 * `import type` only.
 */
import type { PeerInfo, SignalData } from '../../src/protocol/signaling.ts';

export type Conversation = 'room' | `dm:${string}`;
/** 'failed': not acknowledged before the outbox entry expired; `retry` queues it again. */
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'delivered';

export interface ChatMessage {
  msgId: string;
  conversation: Conversation;
  from: string;
  fromName: string;
  text: string;
  /** Sender's clock (ms): display order. */
  ts: number;
  direction: 'in' | 'out';
  /** Outgoing messages only. */
  status?: DeliveryStatus;
  hops?: number;
  spam?: { score: number; flagged: boolean };
}

export type Strictness = 'off' | 'low' | 'medium' | 'high';
export type SpamVerdict = 'spam' | 'not-spam';

export interface ScreeningSettings {
  strictness: Strictness;
  /** False when no classifier is connected (messages then arrive unscreened). */
  available: boolean;
}

export interface PeerEntry {
  peerId: string;
  name: string;
  /** 1 = direct link, n = n hops away, 0 = no route now. */
  hops: number;
  reachable: boolean;
  rttMs?: number;
}

export interface TopologyView {
  self: string;
  nodes: { peerId: string; name: string }[];
  links: { a: string; b: string; rttMs: number; cost: number }[];
}

export type NodeEvent =
  | { type: 'peers'; peers: PeerEntry[] }
  | { type: 'message'; message: ChatMessage }
  | { type: 'status'; msgId: string; status: DeliveryStatus }
  /** An undeliverable direct message is now held (sealed) by this many online peers. */
  | { type: 'carried'; msgId: string; carriers: number }
  /** The mesh wants a new direct link: the main thread negotiates one. */
  | { type: 'want-link'; peerId: string }
  /** A negotiation payload arrived through the mesh for the main thread's connector. */
  | { type: 'signal'; from: string; data: SignalData }
  | { type: 'topology'; topology: TopologyView }
  | { type: 'error'; code: string; message: string };

export interface StartOptions {
  room: string;
  name: string;
  maxLinks?: number;
  minLinks?: number;
  /** Separate IndexedDB database, so tests can run several identities in one origin. */
  dbName?: string;
}

export interface StartResult {
  peerId: string;
  publicKeyHex: string;
  name: string;
}

export interface NodeApi {
  start(opts: StartOptions, onEvent: (e: NodeEvent) => void): Promise<StartResult>;
  /** Signs the signaling server's join challenge (hex Ed25519 signature). */
  signJoin(nonce: string, room: string): Promise<string>;
  /** A data channel to `claimedPeerId` opened; its bytes flow over `port` (transferred). */
  addLink(port: MessagePort, claimedPeerId: string): void;
  /** Room membership as the signaling server reports it (bootstrap candidates and names). */
  setRoomMembers(peers: PeerInfo[]): void;
  /** Sends a negotiation payload through the mesh; false when the target is not reachable. */
  sendSignal(to: string, data: SignalData): boolean;
  sendText(conversation: Conversation, text: string): Promise<ChatMessage>;
  /** Queues a failed direct message again (fresh expiry); false if it is not a failed one. */
  retry(msgId: string): Promise<boolean>;
  /**
   * A page of history (oldest first), older than the message (`before` ts, `beforeMsgId`) the UI
   * shows at the top; both omitted = the newest page.
   */
  history(
    conversation: Conversation,
    before?: number,
    limit?: number,
    beforeMsgId?: string,
  ): Promise<ChatMessage[]>;
  topology(): TopologyView;
  route(to: string): string[] | undefined;
  /** Hands the node worker a Comlink port to the inference worker (transferred). */
  connectInference(port: MessagePort): void;
  screeningSettings(): Promise<ScreeningSettings>;
  setStrictness(s: Strictness): Promise<void>;
  /** The user's verdict on a sender: overrides the model for that sender's messages. */
  setSpamFeedback(peerId: string, verdict: SpamVerdict | null): Promise<void>;
  stop(): void;
}
