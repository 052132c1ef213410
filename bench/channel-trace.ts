/**
 * Where one small message's round trip goes: timestamps at every hand-off (worker API call, port
 * Link, main-thread port, data channel, delivery), taken in the page and in both workers on one
 * clock (timeOrigin + now: the same epoch in every realm, 5 µs steps when isolated), merged and
 * cut into stages. Wrappers only observe; the product's code runs unchanged.
 */
import type { Link } from '../src/protocol/link.ts';

export interface TraceEvent {
  stage: string;
  t: number;
}

export interface StageTime {
  stage: string;
  /** Median µs of this hand-off over the traced round trips. */
  us: number;
}

/**
 * Bulk frames and mesh keepalives stay out: only frames/messages of ping size are traced. A 64 B
 * ping body makes a 184 B data frame; a keepalive frame is 16 B.
 */
export const tracedSize = (n: number): boolean => n >= 100 && n <= 1024;
export const tracedBody = (n: number): boolean => n >= 32 && n <= 1024;

export class Tracer {
  on = false;
  readonly events: TraceEvent[] = [];
  mark(stage: string): void {
    if (this.on) this.events.push({ stage, t: performance.timeOrigin + performance.now() });
  }
  take(): TraceEvent[] {
    return this.events.splice(0);
  }
}

/** The same Link, with a mark as each traced frame enters and leaves the mesh core. */
export function tracedLink(link: Link, who: string, tr: Tracer): Link {
  return {
    get peerId() {
      return link.peerId;
    },
    get closed() {
      return link.closed;
    },
    send(bytes) {
      if (tr.on && tracedSize(bytes.length)) tr.mark(`${who} frame → port`);
      return link.send(bytes);
    },
    onMessage(h) {
      return link.onMessage((bytes) => {
        if (tr.on && tracedSize(bytes.length)) tr.mark(`${who} port → core`);
        h(bytes);
      });
    },
    onClose: (h) => link.onClose(h),
    close: (reason) => link.close(reason),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[s.length >> 1]!;
};

/**
 * Cuts the merged events into round trips at each `start`, keeps those with the most common
 * stage sequence (a keepalive or GC can interleave a stray mark) and takes each step's median.
 */
export function stageBreakdown(events: TraceEvent[], start: string): StageTime[] {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const trips: TraceEvent[][] = [];
  for (const e of sorted) {
    if (e.stage === start) trips.push([e]);
    else trips.at(-1)?.push(e);
  }
  const shapes = new Map<string, TraceEvent[][]>();
  for (const t of trips) {
    const key = t.map((e) => e.stage).join('|');
    shapes.set(key, [...(shapes.get(key) ?? []), t]);
  }
  const best = [...shapes.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const first = best[0];
  if (!first) return [];
  const out: StageTime[] = [];
  for (let i = 1; i < first.length; i++) {
    out.push({
      stage: `${first[i - 1]!.stage} ⇒ ${first[i]!.stage}`,
      us: median(best.map((t) => (t[i]!.t - t[i - 1]!.t) * 1000)),
    });
  }
  out.push({
    stage: `round trip (${best.length}/${trips.length} trips of this shape)`,
    us: median(best.map((t) => (t.at(-1)!.t - t[0]!.t) * 1000)),
  });
  return out;
}
