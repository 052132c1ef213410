/**
 * The simulated world: real mesh nodes over in-memory links on a virtual clock, plus the "host"
 * that a browser would be (opening links the node asks for, negotiated through the mesh).
 *
 * Latency: nodes sit at random points of a unit square; one-way delay = 2 ms + 40 ms × distance
 * (RTT 4–117 ms), so "low-RTT neighbour" means something. Loss: a data channel is reliable and
 * ordered, so a lost packet costs a retransmission timeout (max(50 ms, 3 × RTT)), repeated with
 * probability `loss`, with head-of-line blocking behind it — loss raises measured RTT and link
 * cost, and delays, but never silently drops a frame. Link failure is churn: a leaving node
 * either says bye (graceful) or vanishes (its links go silent and its neighbours notice after
 * `detectMs`, like an ICE consent timeout).
 */
import type { Identity } from '../../src/protocol/identity.ts';
import type { MeshNode, MeshNodeOptions } from '../../workers/node/mesh/types.ts';
import { createMeshNode } from '../../workers/node/mesh/node.ts';
import { createMemoryLinkPair, type MemoryLinkPair } from '../../workers/node/mesh/memory-link.ts';
import { SimCrypto } from './crypto-memo.ts';
import { VirtualClock } from './virtual-clock.ts';
import { mulberry32 } from '../../workers/node/routing/prng.ts';

export interface SimNode {
  id: string;
  node: MeshNode;
  x: number;
  y: number;
  alive: boolean;
  /** Message ids this node received (the oracle standing in for end-to-end receipts). */
  inbox: Set<string>;
}

export interface NetworkOptions {
  seed: number;
  loss: number;
  /** Delay before a vanished peer's links report closed. */
  detectMs?: number;
  /** Links the signaling server introduces a joining node to. */
  bootstrapLinks?: number;
  /** Offer/answer/ICE time once the negotiation signals arrived. */
  negotiateMs?: number;
  node?: Partial<MeshNodeOptions>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class SimNetwork {
  readonly clock: VirtualClock;
  readonly crypto = new SimCrypto();
  readonly rng: () => number;
  readonly nodes = new Map<string, SimNode>();
  private readonly pairs = new Map<string, MemoryLinkPair>();
  private readonly negotiating = new Set<string>();
  private readonly spares: Identity[] = [];
  signalsRouted = 0;
  linksOpened = 0;

  constructor(readonly opts: NetworkOptions) {
    this.rng = mulberry32(opts.seed);
    this.clock = new VirtualClock(() => this.crypto.inFlight);
    this.serverTick();
  }

  /**
   * The signaling server's part after the first introduction: a node left with no links (its
   * bootstrap peers refused it, or all its neighbours left) is introduced again, as the app
   * does when it sees itself alone in the room.
   */
  private serverTick(): void {
    this.clock.setTimeout(() => {
      for (const n of this.alive()) {
        if (n.node.neighbours().length > 0) continue;
        const others = this.alive().filter((o) => o !== n);
        if (others.length) this.connect(n, others[Math.floor(this.rng() * others.length)]!, 100);
      }
      this.serverTick();
    }, 5_000);
  }

  alive(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.alive);
  }

  latency(a: SimNode, b: SimNode): number {
    return 2 + 40 * Math.hypot(a.x - b.x, a.y - b.y);
  }

  /** Makes identities ahead of time, so joins during a run happen at a definite virtual time. */
  async prepare(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.spares.push(await this.crypto.identity());
  }

  /** A new node; it joins through the "signaling server" (bootstrap links to random live nodes). */
  async join(bootstrap = this.opts.bootstrapLinks ?? 2): Promise<SimNode> {
    if (this.spares.length === 0) await this.prepare(1);
    return this.joinNow(bootstrap);
  }

  /** Synchronous join with a prepared identity (call prepare() first). */
  joinNow(bootstrap = this.opts.bootstrapLinks ?? 2): SimNode {
    const identity = this.spares.pop();
    if (!identity) throw new Error('SimNetwork.joinNow: no prepared identity');
    const others = this.alive();
    const node = createMeshNode({
      topologyIntervalMs: 2_000,
      ...this.opts.node,
      identity,
      name: `sim${this.nodes.size}`,
      clock: this.clock,
      verify: this.crypto.verify,
      random: this.rng,
    });
    const sn: SimNode = {
      id: identity.peerId,
      node,
      x: this.rng(),
      y: this.rng(),
      alive: true,
      inbox: new Set(),
    };
    this.nodes.set(sn.id, sn);
    node.onMessage((m) => sn.inbox.add(m.msgId));
    node.onWantLink((peer) => this.wantLink(sn, peer));
    node.onSignal((from, data) => this.onSignal(sn, from, data));
    for (let i = 0; i < bootstrap && others.length > 0; i++) {
      const j = Math.floor(this.rng() * others.length);
      this.connect(sn, others.splice(j, 1)[0]!, 100);
    }
    return sn;
  }

  private key(a: string, b: string): string {
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  }

  /** Opens an in-memory link after `delayMs` (negotiation), unless one exists or is underway. */
  connect(a: SimNode, b: SimNode, delayMs: number): void {
    const k = this.key(a.id, b.id);
    if (this.negotiating.has(k) || a.node.neighbours().includes(b.id)) return;
    this.negotiating.add(k);
    this.clock.setTimeout(() => {
      this.negotiating.delete(k);
      if (!a.alive || !b.alive || a.node.neighbours().includes(b.id)) return;
      const lat = this.latency(a, b);
      const rto = Math.max(50, 6 * lat);
      const loss = this.opts.loss;
      const extra = () => {
        let d = 0;
        for (let i = 0; i < 20 && this.rng() < loss; i++) d += rto;
        return d;
      };
      const pair = createMemoryLinkPair(a.id, b.id, {
        clock: this.clock,
        latencyMs: lat,
        extraDelayMs: extra,
      });
      this.pairs.set(`${k}#${this.linksOpened++}`, pair);
      a.node.addLink(pair.a);
      b.node.addLink(pair.b);
    }, delayMs);
  }

  /**
   * The host's side of onWantLink: negotiate through the mesh (want → accept, as routed
   * signals), then open the link. With no route (an isolated node) the signaling server carries
   * it instead. The browser host lets the lower id make the WebRTC offer; here `negotiating`
   * plays that role (one negotiation per pair, whoever asked first).
   */
  private wantLink(from: SimNode, peer: string): void {
    const to = this.nodes.get(peer);
    if (!to || !to.alive) return;
    if (from.node.sendSignal(peer, enc.encode(JSON.stringify({ t: 'want' })))) this.signalsRouted++;
    else this.connect(from, to, 150);
  }

  private onSignal(at: SimNode, from: string, data: Uint8Array): void {
    const peer = this.nodes.get(from);
    if (!peer || !peer.alive || !at.alive) return;
    const msg = JSON.parse(dec.decode(data)) as { t: string };
    if (msg.t === 'want') {
      if (at.node.sendSignal(from, enc.encode(JSON.stringify({ t: 'accept' }))))
        this.signalsRouted++;
    } else if (msg.t === 'accept') {
      this.connect(at, peer, 50);
    }
  }

  /** Removes a node: gracefully (bye on every link) or by vanishing (links go silent). */
  leave(sn: SimNode, graceful: boolean): void {
    if (!sn.alive) return;
    sn.alive = false;
    if (!graceful) {
      for (const [k, pair] of this.pairs) {
        if (k.includes(sn.id)) pair.sever(this.opts.detectMs ?? 5_000);
      }
    }
    sn.node.close();
    for (const k of [...this.pairs.keys()]) if (k.includes(sn.id)) this.pairs.delete(k);
  }

  /** Direct links that both ends hold (the ground truth the metrics use). */
  links(): [SimNode, SimNode][] {
    const out: [SimNode, SimNode][] = [];
    for (const a of this.alive()) {
      for (const id of a.node.neighbours()) {
        const b = this.nodes.get(id);
        if (b && b.alive && a.id < b.id && b.node.neighbours().includes(a.id)) out.push([a, b]);
      }
    }
    return out;
  }

  run(ms: number): Promise<void> {
    return this.clock.run(this.clock.now() + ms);
  }
}
