/**
 * Plain-data shapes shared by the channel bench's three realms: the node worker's Comlink API
 * (channel-worker-api.ts), the page's API that the Playwright driver calls (channel-page.ts), and
 * the driver (channel.ts). Types only.
 */
import type { BurstPlan } from './channel-flow.ts';
import type { StageTime, TraceEvent } from './channel-trace.ts';

/**
 * How a worker's bytes reach its peer:
 * - mesh: our data path — sendDirect (signed routed frame) → port Link → bridge → data channel.
 * - plain: the same port Link and bridge with no mesh on top (profile: what the port hops cost).
 */
export type Via = 'mesh' | 'plain';

/**
 * A, B, C: real-crypto nodes linked A—B—C (A and C not linked), so A→C goes through B.
 * D—E: a second pair whose signatures are stubbed (profile: what Ed25519 costs on the path).
 * A and B also share a plain port link on a data channel of its own.
 */
export type NodeName = 'A' | 'B' | 'C' | 'D' | 'E';

export interface WorkerStart {
  name: NodeName;
  crypto: 'real' | 'stub';
  ackEvery: number;
}

export interface WorkerInfo {
  peerId: string;
  crossOriginIsolated: boolean;
  timerStepMs: number;
}

export interface Transfer {
  ms: number;
  /** Payload bytes delivered (bodies, not frame headers/signatures). */
  bytes: number;
}

export interface BurstRequest extends BurstPlan {
  to: string;
  via: Via;
}

export interface PingRequest {
  to: string;
  via: Via;
  n: number;
  size: number;
  timeoutMs: number;
}

export interface NodeStats {
  framesIn: number;
  framesOut: number;
  forwarded: number;
  delivered: number;
  verifications: number;
  dropped: Record<string, number>;
  strays: number;
}

export interface MicroResult {
  label: string;
  /** Mean µs per operation. */
  us: number;
}

export interface ChannelWorkerApi {
  start(o: WorkerStart): Promise<WorkerInfo>;
  /** `peerId` is the peer the link claims; the mesh handshake proves it. */
  addLink(port: MessagePort, peerId: string): void;
  addPlainLink(port: MessagePort, key: NodeName): void;
  /** Resolves (ms waited) once these neighbours are up and these peers are routable. */
  waitReady(o: { neighbours: string[]; routes: string[]; timeoutMs: number }): Promise<number>;
  burst(r: BurstRequest): Promise<Transfer>;
  ping(r: PingRequest): Promise<number[]>;
  stats(): NodeStats;
  /** Per-frame costs of the pieces on the data path, run in this worker. */
  micro(o: { bodyBytes: number; ops: number }): Promise<MicroResult[]>;
  /** Starts (true) or stops (false) timestamping ping-sized frames; stopping returns the marks. */
  trace(on: boolean): TraceEvent[];
  close(): void;
}

export interface SetupInfo {
  userAgent: string;
  crossOriginIsolated: boolean;
  timerStepMs: number;
  connectMs: number;
  readyMs: number;
}

export interface RawBurstPlan {
  bytes: number;
  chunk: number;
  timeoutMs: number;
}

export interface PageBurstPlan extends BurstPlan {
  from: NodeName;
  to: NodeName;
  via: Via;
}

export interface PagePingPlan {
  from: NodeName;
  to: NodeName;
  via: Via;
  n: number;
  size: number;
  timeoutMs: number;
}

/** What the page exposes at globalThis.channelBench for the driver. */
export interface ChannelPageApi {
  setup(o: { ackEvery: number; timeoutMs: number }): Promise<SetupInfo>;
  rawBurst(o: RawBurstPlan): Promise<Transfer>;
  rawPing(o: { n: number; size: number; timeoutMs: number }): Promise<number[]>;
  /** The raw baseline through a main-thread relay (two chained channel pairs). */
  rawRelayBurst(o: RawBurstPlan): Promise<Transfer & { maxQueued: number }>;
  rawRelayPing(o: { n: number; size: number; timeoutMs: number }): Promise<number[]>;
  burst(o: PageBurstPlan): Promise<Transfer>;
  ping(o: PagePingPlan): Promise<number[]>;
  stats(): Promise<Record<NodeName, NodeStats>>;
  micro(o: { bodyBytes: number; ops: number }): Promise<MicroResult[]>;
  /** `n` pings with every hand-off timestamped; median µs per stage. */
  trace(o: PagePingPlan): Promise<StageTime[]>;
  teardown(): Promise<void>;
}
