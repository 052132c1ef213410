/**
 * Discrete-event virtual clock for the simulator and for time-dependent unit tests.
 *
 * Timers run in (time, insertion) order. WebCrypto is genuinely asynchronous (Node runs it on
 * the libuv thread pool), so virtual time may only advance once the async work started by
 * earlier events has finished: `run` processes one quantum of virtual time synchronously, then
 * yields to the real event loop until `pending()` (the simulator's count of in-flight crypto)
 * is zero, which also drains every microtask chain. Continuations therefore land at the end of
 * the quantum they were started in — as if each node spent up to `quantumMs` of CPU on them.
 */
import type { Clock, TimerHandle } from '../../workers/node/mesh/types.ts';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private heap: Timer[] = [];
  eventsRun = 0;

  constructor(private readonly pending: () => number = () => 0) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = {
      at: this.t + Math.max(0, ms || 0),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    if (handle && typeof handle === 'object') (handle as Timer).cancelled = true;
  }

  get queued(): number {
    return this.heap.length;
  }

  /** Runs events up to virtual time `until` (inclusive), settling async work every quantum. */
  async run(until: number, quantumMs = 1, maxEvents = Number.MAX_SAFE_INTEGER): Promise<void> {
    let budget = maxEvents;
    await this.settle();
    while (this.heap.length > 0 && this.heap[0]!.at <= until && budget > 0) {
      const end = Math.min(until, this.heap[0]!.at + quantumMs);
      while (this.heap.length > 0 && this.heap[0]!.at <= end && budget-- > 0) {
        const timer = this.pop();
        if (timer.cancelled) continue;
        this.t = timer.at;
        this.eventsRun++;
        timer.fn();
      }
      this.t = Math.max(this.t, end);
      await this.settle();
    }
    this.t = Math.max(this.t, until);
    await this.settle();
  }

  /** Yields to the real event loop until no tracked async work is in flight. */
  async settle(): Promise<void> {
    // One macrotask hop drains all queued microtasks; repeat while crypto is still running.
    // Bounded: a stuck operation must fail the run, not hang it.
    for (let i = 0; i < 1_000_000; i++) {
      await new Promise<void>((r) => setImmediate(r));
      if (this.pending() === 0) {
        await new Promise<void>((r) => setImmediate(r));
        if (this.pending() === 0) return;
      }
    }
    throw new Error('virtual clock: async work never settled');
  }

  private push(x: Timer): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
