/** The public shape of a mesh node: options in, MeshNode out. Plain data crosses this boundary. */
import type { Identity } from '../../../src/protocol/identity.ts';
import type { Link } from '../../../src/protocol/link.ts';

export type TimerHandle = unknown;

/** Time source and timers; the simulator injects a virtual one so 1,000 nodes run fast. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type Verify = (publicKey: Uint8Array, sig: Uint8Array, data: Uint8Array) => Promise<boolean>;

export interface MeshTiming {
  /** Ping period per link; cost comes from the smoothed RTT and the share of lost pongs. */
  pingIntervalMs: number;
  /** A link with no pong for this long is declared dead and closed ('timeout'). */
  linkDeadMs: number;
  /** Periodic re-flood of our own advert (changes are flooded at once, this only heals). */
  advertRefreshMs: number;
  /** Lifetime carried in our adverts: others drop them this long after we stop refreshing. */
  advertLifetimeS: number;
  /** Anti-entropy: every period, our database summary goes to one random neighbour, which pulls
   * whatever it lacks (heals adverts a flood missed while pictures disagreed). */
  syncIntervalMs: number;
  /** Shortest paths are recomputed at most this often while adverts keep arriving. */
  routeDebounceMs: number;
  /** Upper bound of the recompute hold-down while changes keep arriving (SPF throttling). */
  routeHoldMaxMs: number;
  /** Our own triggered adverts (link up/down, cost change) are batched this long. */
  advertDebounceMs: number;
  /** Upper bound of the origination hold-down while our links keep changing. */
  advertHoldMaxMs: number;
  handshakeTimeoutMs: number;
  /** Period of the topology controller (degree targets, cut-vertex repair, pruning). */
  topologyIntervalMs: number;
  /** Initial ttl of every routed or flooded frame. */
  hopLimit: number;
  /** Batching period of broadcast-repair digests (broadcast-repair.ts). */
  repairDigestMs: number;
}

export interface MeshNodeOptions extends Partial<MeshTiming> {
  identity: Identity;
  name?: string;
  minLinks?: number;
  maxLinks?: number;
  /** Links accepted above maxLinks before incoming ones are refused (room for repairs). */
  linkSlack?: number;
  clock?: Clock;
  verify?: Verify;
  random?: () => number;
  /** Malformed frames tolerated per link before it is closed with bye 'malformed'. */
  malformedLimit?: number;
  /** Set false to disable the topology controller (unit tests that wire links by hand). */
  topologyControl?: boolean;
}

export interface PeerView {
  peerId: string;
  name: string;
  /** 1 = direct link, 0 = unreachable. */
  hops: number;
  reachable: boolean;
  rttMs?: number;
  nextHop?: string;
}

export interface MeshMessage {
  msgId: string;
  from: string;
  kind: 'direct' | 'broadcast';
  body: Uint8Array;
  hops: number;
}

export interface TopologyView {
  nodes: { peerId: string; name: string }[];
  links: { a: string; b: string; rttMs: number; cost: number }[];
}

export interface MeshStats {
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Drop counters by reason (parse error codes, 'ttl-expired', 'no-route', 'duplicate', …). */
  dropped: Record<string, number>;
  /** Link sends we made for broadcasts (originated + relayed), for the MPR cost figure. */
  broadcastSends: number;
  /** Of those, copies pulled by neighbours through broadcast repair (ihave/iwant). */
  repairSends: number;
  /** Control frames sent (adverts, summaries, requests, pings, handshakes, byes). */
  controlOut: number;
  advertsAccepted: number;
  verifications: number;
  routeRecomputes: number;
  delivered: number;
  forwarded: number;
}

export interface MeshNode {
  readonly peerId: string;
  addLink(link: Link): void;
  neighbours(): string[];
  sendDirect(to: string, body: Uint8Array): { msgId: string; routed: boolean };
  broadcast(body: Uint8Array): { msgId: string };
  onMessage(cb: (m: MeshMessage) => void): () => void;
  peers(): PeerView[];
  onPeersChanged(cb: (peers: PeerView[]) => void): () => void;
  topology(): TopologyView;
  route(to: string): string[] | undefined;
  routes(to: string[]): (string[] | undefined)[];
  onWantLink(cb: (peerId: string) => void): () => void;
  /** Carries WebRTC negotiation to a peer through the mesh; false when there is no route now. */
  sendSignal(to: string, data: Uint8Array): boolean;
  onSignal(cb: (from: string, data: Uint8Array) => void): () => void;
  stats(): MeshStats;
  close(): void;
}
