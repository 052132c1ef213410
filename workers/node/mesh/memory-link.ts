/**
 * In-memory Link pairs for tests and the simulator. Delivery is asynchronous through the
 * injected clock (real timers by default, the simulator's virtual ones there), ordered per
 * direction, and copies the bytes (a sender may reuse or share its buffer, per the Link contract).
 *
 * Loss model: a data channel is reliable and ordered (SCTP retransmits), so a lost packet shows
 * up as delay, not as a missing frame: `extraDelayMs` adds per-frame retransmission delay and,
 * because delivery stays ordered, head-of-line blocking for the frames behind it. Link failure is
 * separate: `sever()` silently black-holes both directions and reports the close only after a
 * detection delay, like a browser noticing a vanished peer through ICE consent timeouts.
 */
import type { Link } from '../../../src/protocol/link.ts';
import type { Clock } from './types.ts';
import { realClock } from './util.ts';

export interface MemoryLinkOptions {
  clock?: Clock;
  /** One-way delay per frame (ms), fixed or drawn per frame. */
  latencyMs?: number | (() => number);
  /** Additional per-frame delay (retransmissions); delivery order is preserved. */
  extraDelayMs?: () => number;
}

class MemoryEnd implements Link {
  closed = false;
  other!: MemoryEnd;
  /** Black-holed: sends "succeed" but nothing arrives (the peer vanished, nobody noticed yet). */
  dead = false;
  private readonly onMsg = new Set<(b: Uint8Array) => void>();
  private readonly onCls = new Set<(r: string) => void>();
  private closeReason = '';
  private nextDelivery = 0;
  private readonly queue: { at: number; item: Uint8Array | { close: string } }[] = [];
  private queueHead = 0;

  constructor(
    readonly peerId: string,
    private readonly clock: Clock,
    private readonly delay: () => number,
  ) {}

  send(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.dead) return true;
    this.enqueue(this.deliveryTime(), bytes.slice());
    return true;
  }

  /** Ordered: a frame never overtakes the one sent before it on the same direction. */
  private deliveryTime(): number {
    const at = Math.max(this.nextDelivery, this.clock.now() + this.delay());
    this.nextDelivery = at;
    return at;
  }

  /**
   * One timer per direction drains a FIFO: host timers with different durations do not promise
   * to fire in deadline order, and ordering is the contract.
   */
  private enqueue(at: number, item: Uint8Array | { close: string }): void {
    this.queue.push({ at, item });
    if (this.queue.length === 1) this.arm();
  }

  private arm(): void {
    const head = this.queue[this.queueHead];
    if (!head) return;
    this.clock.setTimeout(() => this.drain(), Math.max(0, head.at - this.clock.now()));
  }

  private drain(): void {
    const now = this.clock.now();
    const other = this.other;
    while (this.queueHead < this.queue.length && this.queue[this.queueHead]!.at <= now) {
      const { item } = this.queue[this.queueHead++]!;
      if (this.dead) continue;
      if (item instanceof Uint8Array) {
        if (!other.closed) for (const h of [...other.onMsg]) h(item);
      } else other.finish(item.close);
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else this.arm();
  }

  onMessage(handler: (bytes: Uint8Array) => void): () => void {
    this.onMsg.add(handler);
    return () => {
      this.onMsg.delete(handler);
    };
  }

  onClose(handler: (reason: string) => void): () => void {
    if (this.closed) {
      let live = true;
      queueMicrotask(() => {
        if (live) handler(this.closeReason);
      });
      return () => {
        live = false;
      };
    }
    this.onCls.add(handler);
    return () => {
      this.onCls.delete(handler);
    };
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.finish(reason);
    if (this.dead) return;
    // The close notice travels like a frame: it arrives after everything sent before it.
    this.enqueue(this.deliveryTime(), { close: `peer closed: ${reason}` });
  }

  finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    const handlers = [...this.onCls];
    this.onCls.clear();
    this.onMsg.clear();
    for (const h of handlers) h(reason);
  }
}

export interface MemoryLinkPair {
  /** Held by node `aId`; its peerId is `bId`. */
  a: Link;
  /** Held by node `bId`; its peerId is `aId`. */
  b: Link;
  /** Abrupt failure: both directions go silent now; each end sees onClose after `detectMs`. */
  sever(detectMs: number): void;
}

export function createMemoryLinkPair(
  aId: string,
  bId: string,
  opts: MemoryLinkOptions = {},
): MemoryLinkPair {
  const clock = opts.clock ?? realClock;
  const lat = opts.latencyMs ?? 0;
  const base = typeof lat === 'number' ? () => lat : lat;
  const extra = opts.extraDelayMs;
  const delay = extra ? () => base() + extra() : base;
  const a = new MemoryEnd(bId, clock, delay);
  const b = new MemoryEnd(aId, clock, delay);
  a.other = b;
  b.other = a;
  return {
    a,
    b,
    sever(detectMs) {
      if (a.closed && b.closed) return;
      a.dead = b.dead = true;
      clock.setTimeout(() => {
        a.finish('connection lost');
        b.finish('connection lost');
      }, detectMs);
    },
  };
}
