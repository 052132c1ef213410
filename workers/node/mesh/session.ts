/**
 * One Link's life inside the node: the authenticated handshake, then ping/pong for RTT and
 * liveness, malformed-frame accounting and graceful close. Everything else is the node's.
 *
 * Handshake (both sides at once, no initiator role, so neither needs to know who dialed):
 *   → hello(publicKey, nonce_me, name)        ← hello(publicKey', nonce_them, name')
 *   → proof(sign(me | them | nonce_me | nonce_them))   ← the mirror image
 * A side is "up" once the peer's proof verifies under the key whose hash is link.peerId. The
 * proof covers the verifier's fresh nonce, so replaying an old proof fails.
 */
import { MeshError, type MeshErrorCode } from '../../../src/protocol/errors.ts';
import {
  encodeFrame,
  FrameType,
  parseFrame,
  peekAdvert,
  type ByeReasonName,
  type Frame,
} from '../../../src/protocol/frame.ts';
import { proofBytes } from '../../../src/protocol/frame-signing.ts';
import { peerIdOfKey } from './keyid.ts';
import type { Link } from '../../../src/protocol/link.ts';
import { toHex } from '../../../src/protocol/bytes.ts';
import type { MeshConfig } from './config.ts';
import type { MeshStats, TimerHandle } from './types.ts';
import { LinkCost } from './link-cost.ts';
import { countDrop } from './util.ts';

export interface SessionHost {
  readonly cfg: MeshConfig;
  readonly stats: MeshStats;
  sessionUp(s: LinkSession): void;
  sessionDown(s: LinkSession, error: MeshError): void;
  sessionFrame(s: LinkSession, f: Frame, raw: Uint8Array): void;
  sessionCostChanged(s: LinkSession): void;
  /** Whether an advert with this key needs no further work (older, or accepted and relayed). */
  advertIsOld(origin: string, seq: number): 'stale' | 'duplicate' | undefined;
}

const MAX_EARLY_FRAMES = 512;

export class LinkSession {
  state: 'handshaking' | 'up' | 'closed' = 'handshaking';
  /** The claimed id until up, then the proven one (they are equal or the handshake failed). */
  readonly peerId: string;
  name = '';
  publicKey: Uint8Array | undefined;
  private readonly myNonce: Uint8Array;
  private theirNonce: Uint8Array | undefined;
  /** Same string on both ends of the link: orders duplicate links to one peer identically. */
  linkKey = '';
  private helloSentAt = 0;
  private lastHeard = 0;
  private pingSeq = 0;
  private lastPongSeq = 0;
  private malformed = 0;
  private timer: TimerHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private chained = 0;
  private readonly metrics = new LinkCost();
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly link: Link,
    private readonly host: SessionHost,
  ) {
    this.peerId = link.peerId;
    this.myNonce = crypto.getRandomValues(new Uint8Array(16));
  }

  start(): void {
    const { cfg } = this.host;
    this.disposers.push(
      this.link.onMessage((b) => this.onBytes(b)),
      this.link.onClose((reason) => this.closed(new MeshError('link-closed', reason))),
    );
    if (this.link.closed) return;
    this.helloSentAt = this.lastHeard = cfg.clock.now();
    this.sendFrame(
      { type: 'hello', publicKey: cfg.identity.publicKey, nonce: this.myNonce, name: cfg.name },
      true,
    );
    this.arm(cfg.handshakeTimeoutMs, () => this.fail('timeout', 'handshake timed out'));
  }

  /** Link cost for adverts (link-cost.ts). */
  cost(): number {
    return this.metrics.cost();
  }
  costDrifted(): boolean {
    return this.metrics.drifted(this.host.cfg.clock.now());
  }
  markAdvertised(): void {
    this.metrics.markAdvertised(this.host.cfg.clock.now());
  }
  /** Smoothed RTT for display. */
  get rttMs(): number {
    return this.metrics.rttMs;
  }

  send(bytes: Uint8Array, control = false): boolean {
    if (this.state === 'closed' || !this.link.send(bytes)) return false;
    const s = this.host.stats;
    s.framesOut++;
    s.bytesOut += bytes.length;
    if (control) s.controlOut++;
    return true;
  }

  sendFrame(f: Frame, control = true): boolean {
    return this.send(encodeFrame(f), control);
  }

  /** Graceful close: a bye first, so the peer knows it was deliberate and why. */
  close(reason: ByeReasonName, text = ''): void {
    if (this.state === 'closed') return;
    this.sendFrame({ type: 'bye', reason, text });
    this.link.close(`bye: ${reason}${text ? ` (${text})` : ''}`);
    this.closed(
      new MeshError(
        reason === 'overCapacity' ? 'refused' : 'link-closed',
        `closed by us: ${reason}`,
      ),
    );
  }

  /** A protocol violation by the peer (counted; the link goes after malformedLimit). */
  malformedFrame(code: string): void {
    countDrop(this.host.stats, code);
    if (++this.malformed > this.host.cfg.malformedLimit) this.close('malformed', code);
  }

  private onBytes(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    const s = this.host.stats;
    s.framesIn++;
    s.bytesIn += bytes.length;
    this.lastHeard = this.host.cfg.clock.now();
    if (this.state === 'up' && this.chained === 0 && bytes[1] === FrameType.advert) {
      const k = peekAdvert(bytes);
      const old = k && this.host.advertIsOld(k.origin, k.seq);
      if (old) return countDrop(s, `${old}-advert`);
    }
    const r = parseFrame(bytes);
    if (!r.ok) return this.malformedFrame(r.error.code);
    const f = r.value;
    // Until the handshake's async steps are done, keep order by queueing behind them.
    if (this.state === 'handshaking' || this.chained > 0) {
      if (this.chained >= MAX_EARLY_FRAMES) return this.malformedFrame('early-flood');
      this.chained++;
      this.chain = this.chain
        .then(() => this.handle(f, bytes))
        .catch((e: unknown) => this.fail('internal', String(e)))
        .finally(() => {
          this.chained--;
        });
      return;
    }
    void this.handle(f, bytes);
  }

  private async handle(f: Frame, raw: Uint8Array): Promise<void> {
    if (this.state === 'closed') return;
    switch (f.type) {
      case 'hello':
        return this.onHello(f.publicKey, f.nonce, f.name);
      case 'proof':
        return this.onProof(f.sig);
      case 'bye':
        this.link.close(`bye from peer: ${f.reason}`);
        return this.closed(
          new MeshError(
            f.reason === 'overCapacity' ? 'refused' : 'link-closed',
            `peer said bye: ${f.reason} ${f.text}`,
          ),
        );
      case 'ping':
        if (this.state === 'up') this.sendFrame({ ...f, type: 'pong' });
        return;
      case 'pong':
        return this.onPong(f.seq, f.sentAt);
    }
    if (this.state !== 'up') return this.malformedFrame('before-handshake');
    this.host.sessionFrame(this, f, raw);
  }

  private async onHello(publicKey: Uint8Array, nonce: Uint8Array, name: string): Promise<void> {
    if (this.theirNonce) return this.malformedFrame('repeated-hello');
    const { cfg } = this.host;
    const id = await peerIdOfKey(publicKey);
    if (id !== this.peerId)
      return this.fail('handshake-failed', `key proves ${id}, link claims ${this.peerId}`);
    if (id === cfg.identity.peerId) return this.fail('handshake-failed', 'link to ourselves');
    this.publicKey = publicKey;
    this.theirNonce = nonce;
    this.name = name;
    const a = toHex(this.myNonce);
    const b = toHex(nonce);
    this.linkKey = a < b ? a + b : b + a;
    const sig = await cfg.identity.sign(proofBytes(cfg.identity.peerId, id, this.myNonce, nonce));
    if (this.state === 'closed') return;
    this.sendFrame({ type: 'proof', sig });
  }

  private async onProof(sig: Uint8Array): Promise<void> {
    const { cfg, stats } = this.host;
    if (!this.theirNonce || !this.publicKey || this.state !== 'handshaking') {
      return this.fail('handshake-failed', 'proof out of order');
    }
    this.metrics.handshakeRtt(Math.max(0, cfg.clock.now() - this.helloSentAt));
    const data = proofBytes(this.peerId, cfg.identity.peerId, this.theirNonce, this.myNonce);
    stats.verifications++;
    if (!(await cfg.verify(this.publicKey, sig, data)))
      return this.fail('bad-signature', 'link proof does not verify');
    if (this.state !== 'handshaking') return;
    this.state = 'up';
    this.markAdvertised();
    this.sendPing(); // a first measured RTT before our link-up advert goes out, if we can
    this.schedulePing();
    this.host.sessionUp(this);
  }

  private onPong(seq: number, sentAt: number): void {
    const now = this.host.cfg.clock.now();
    if (seq <= this.lastPongSeq || seq > this.pingSeq || sentAt > now)
      return this.malformedFrame('bad-pong');
    this.lastPongSeq = seq;
    const sample = now - sentAt;
    this.metrics.sample(sample);
    if (this.costDrifted()) this.host.sessionCostChanged(this);
  }

  private schedulePing(): void {
    const { cfg } = this.host;
    // Jitter keeps thousands of simulated (or real) links from pinging in lockstep.
    this.arm(cfg.pingIntervalMs * (0.75 + cfg.random() * 0.5), () => {
      const now = cfg.clock.now();
      if (now - this.lastHeard > cfg.linkDeadMs) return this.fail('timeout', 'peer went silent');
      if (this.pingSeq > this.lastPongSeq) this.metrics.lostPong();
      this.sendPing();
      this.schedulePing();
    });
  }

  private sendPing(): void {
    this.sendFrame({ type: 'ping', seq: ++this.pingSeq, sentAt: this.host.cfg.clock.now() });
  }

  private arm(ms: number, fn: () => void): void {
    const { clock } = this.host.cfg;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      if (this.state !== 'closed') fn();
    }, ms);
  }

  private fail(code: MeshErrorCode, message: string): void {
    if (this.state === 'closed') return;
    const handshake = this.state === 'handshaking';
    if (!this.link.closed) {
      this.sendFrame({ type: 'bye', reason: handshake ? 'handshakeFailed' : 'normal', text: code });
      this.link.close(`${code}: ${message}`);
    }
    // The code says what went wrong (bad-signature, handshake-failed for an id mismatch, timeout).
    this.closed(new MeshError(code, `${handshake ? 'handshake: ' : ''}${message}`));
  }

  private closed(error: MeshError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.timer !== undefined) this.host.cfg.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.disposers.splice(0)) d();
    this.host.sessionDown(this, error);
  }
}
