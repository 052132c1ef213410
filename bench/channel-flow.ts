/**
 * The bench's own little application protocol, carried as message bodies over any pipe (our mesh's
 * sendDirect, or a bare port Link for the profile). It gives bulk sends an application-level
 * window, because the mesh has no backpressure of its own: sendDirect always accepts, the port
 * never refuses, and only the main-thread bridge queues in front of the data channel — blasting
 * 50 MB would measure a 50 MB queue, not a channel.
 *
 * Body layout (byte 0 is the tag):
 *   bulk  [1][burst u32][count u32] … padding to the body size
 *   ack   [2][burst u32][received u32]        cumulative, every `ackEvery` and on the last one
 *   ping  [3][seq u32]  … padding             echoed as pong [4][seq u32] … same size
 */

const BULK = 1;
const ACK = 2;
const PING = 3;
const PONG = 4;

/** Sends one body to the peer a flow talks to; false means the pipe refused (no route, closed). */
export type SendBody = (body: Uint8Array) => boolean;

export interface BurstPlan {
  bodyBytes: number;
  count: number;
  /** Bodies in flight before the sender waits for an ack. */
  window: number;
  ackEvery: number;
  timeoutMs: number;
}

interface Burst {
  count: number;
  window: number;
  sent: number;
  acked: number;
  body: Uint8Array;
  send: SendBody;
  done: (err?: Error) => void;
}

interface Pending {
  resolve: () => void;
}

function header(tag: number, a: number, b: number, size: number): Uint8Array {
  const body = new Uint8Array(Math.max(9, size));
  const v = new DataView(body.buffer);
  v.setUint8(0, tag);
  v.setUint32(1, a);
  v.setUint32(5, b);
  // Non-zero filler: nothing on the path compresses, but a body of zeros would hide a bug that
  // drops the payload.
  for (let i = 9; i < body.length; i++) body[i] = i & 0xff;
  return body;
}

/** One per worker: both the sending and the receiving side of every burst and ping. */
export class FlowEndpoint {
  private nextBurst = 1;
  private readonly bursts = new Map<number, Burst>();
  private readonly received = new Map<string, number>();
  private readonly pings = new Map<number, Pending>();
  private nextPing = 1;
  /** Bodies that matched no tag or burst: must stay 0, or a figure is measuring something else. */
  strays = 0;
  /** The receiver's ack cadence; every endpoint in a run uses the same. */
  ackEvery = 8;

  /** Feed every body that arrives; `reply` sends back to where it came from. */
  handle(from: string, body: Uint8Array, reply: SendBody): void {
    if (body.length < 9) return void this.strays++;
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const tag = v.getUint8(0);
    const a = v.getUint32(1);
    const b = v.getUint32(5);
    if (tag === BULK) {
      const key = `${from}/${a}`;
      const n = (this.received.get(key) ?? 0) + 1;
      this.received.set(key, n);
      if (n === b) this.received.delete(key);
      if (n % this.ackEvery === 0 || n === b) reply(header(ACK, a, n, 9));
    } else if (tag === ACK) {
      const burst = this.bursts.get(a);
      if (!burst) return void this.strays++;
      burst.acked = Math.max(burst.acked, b);
      if (burst.acked >= burst.count) burst.done();
      else this.pump(burst);
    } else if (tag === PING) {
      const pong = body.slice();
      pong[0] = PONG;
      reply(pong);
    } else if (tag === PONG) {
      const p = this.pings.get(a);
      if (!p) return void this.strays++;
      this.pings.delete(a);
      p.resolve();
    } else this.strays++;
  }

  /** Sends `count` bodies with at most `window` unacknowledged; resolves on the last ack. */
  burst(send: SendBody, plan: BurstPlan): Promise<{ ms: number; bytes: number }> {
    const id = this.nextBurst++;
    const body = header(BULK, id, plan.count, plan.bodyBytes);
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const timer = setTimeout(
        () => burst.done(new Error(`burst ${id} timed out at ${burst.acked}/${plan.count} acked`)),
        plan.timeoutMs,
      );
      const burst: Burst = {
        count: plan.count,
        window: plan.window,
        sent: 0,
        acked: 0,
        // One body for the whole burst, never mutated: sendDirect signs it and encodes it later
        // (after an await), so a body changed in between would no longer match its signature.
        body,
        send,
        done: (err) => {
          clearTimeout(timer);
          this.bursts.delete(id);
          if (err) reject(err);
          else resolve({ ms: performance.now() - t0, bytes: plan.count * body.length });
        },
      };
      this.bursts.set(id, burst);
      this.pump(burst);
    });
  }

  private pump(b: Burst): void {
    while (b.sent < b.count && b.sent - b.acked < b.window) {
      if (!b.send(b.body)) return b.done(new Error(`pipe refused body ${b.sent}`));
      b.sent++;
    }
  }

  /** Sequential pings; RTT samples in ms. Each waits at most `timeoutMs`. */
  async ping(send: SendBody, n: number, size: number, timeoutMs: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const seq = this.nextPing++;
      const body = header(PING, seq, 0, size);
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pings.delete(seq);
          reject(new Error(`ping ${seq} timed out`));
        }, timeoutMs);
        this.pings.set(seq, {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        if (!send(body)) reject(new Error('pipe refused a ping'));
      });
      out.push(performance.now() - t0);
    }
    return out;
  }
}
