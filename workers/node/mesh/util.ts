/** Small shared pieces: the real clock, listener sets, a bounded seen-set, a stats counter. */
import type { Clock, MeshStats } from './types.ts';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * A set of listeners. A throwing listener must not stop delivery to the others or break the
 * node's state machine, so its error is reported (queueMicrotask rethrow: visible, not swallowed).
 */
export class Listeners<A extends unknown[]> {
  private readonly fns = new Set<(...args: A) => void>();
  add(fn: (...args: A) => void): () => void {
    this.fns.add(fn);
    return () => {
      this.fns.delete(fn);
    };
  }
  emit(...args: A): void {
    for (const fn of [...this.fns]) {
      try {
        fn(...args);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
  get size(): number {
    return this.fns.size;
  }
  clear(): void {
    this.fns.clear();
  }
}

/**
 * Insertion-ordered map with a size cap: the oldest entries go first. Dedupe state must be
 * bounded (a peer can invent message ids forever); a message older than ~cap messages is beyond
 * any hop limit's reach anyway.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly cap: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.cap) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

export function newStats(): MeshStats {
  return {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    dropped: {},
    broadcastSends: 0,
    repairSends: 0,
    controlOut: 0,
    advertsAccepted: 0,
    verifications: 0,
    routeRecomputes: 0,
    delivered: 0,
    forwarded: 0,
  };
}

export function countDrop(stats: MeshStats, reason: string): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
}

/** 16 random bytes as hex from an injectable random(): message ids need uniqueness, not secrecy. */
export function makeMsgId(random: () => number): string {
  let s = '';
  for (let i = 0; i < 4; i++)
    s += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s;
}
