/**
 * The baseline: a bare RTCDataChannel driven from the main thread, with the same backpressure as
 * our bridge (src/net/channel-bridge.ts: send while bufferedAmount < 256 KiB, resume on
 * bufferedamountlow at 64 KiB), so the only differences left are the ones we measure.
 */
import type { Transfer } from './channel-api.ts';
import type { ChannelPair } from './channel-rtc.ts';

const HIGH_WATER = 256 * 1024;
const LOW_WATER = 64 * 1024;

/** `bytes` in `chunk`-sized messages from a to b; timed from the first send to the last byte. */
export function rawBurst(
  pair: ChannelPair,
  bytes: number,
  chunk: number,
  timeoutMs: number,
): Promise<Transfer> {
  const { a, b } = pair;
  const count = Math.ceil(bytes / chunk);
  const total = count * chunk;
  const buf = new Uint8Array(chunk).map((_, i) => i & 0xff).buffer;
  a.bufferedAmountLowThreshold = LOW_WATER;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let got = 0;
    const t0 = performance.now();
    const finish = (err?: Error) => {
      clearTimeout(timer);
      b.onmessage = null;
      a.onbufferedamountlow = null;
      if (err) reject(err);
      else resolve({ ms: performance.now() - t0, bytes: total });
    };
    const timer = setTimeout(
      () => finish(new Error(`raw burst timed out at ${got}/${total} bytes`)),
      timeoutMs,
    );
    b.onmessage = (ev: MessageEvent) => {
      got += (ev.data as ArrayBuffer).byteLength;
      if (got >= total) finish();
    };
    const pump = () => {
      while (sent < count && a.bufferedAmount < HIGH_WATER) {
        // send() copies into the channel's buffer, so one buffer serves every message.
        a.send(buf);
        sent++;
      }
    };
    a.onbufferedamountlow = pump;
    pump();
  });
}

/** Sequential echo pings of `size` bytes, a → b → a; RTT samples in ms. */
export async function rawPing(
  pair: ChannelPair,
  n: number,
  size: number,
  timeoutMs: number,
): Promise<number[]> {
  const { a, b } = pair;
  b.onmessage = (ev: MessageEvent) => b.send(ev.data as ArrayBuffer);
  const out: number[] = [];
  const msg = new Uint8Array(size).fill(7).buffer;
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`raw ping ${i} timed out`)), timeoutMs);
        a.onmessage = () => {
          clearTimeout(timer);
          resolve();
        };
        a.send(msg);
      });
      out.push(performance.now() - t0);
    }
  } finally {
    a.onmessage = b.onmessage = null;
  }
  return out;
}

/**
 * The raw relay baseline: two channel pairs joined on the main thread, forwarding with the
 * bridge's queue-past-high-water rule, both directions. What one extra hop costs on this machine
 * with no code of ours in the way (both hops' DTLS/SCTP share one renderer and 2 cores).
 * Returns the end-to-end pair and the deepest relay queue seen.
 */
export function rawRelay(
  first: ChannelPair,
  second: ChannelPair,
): ChannelPair & { maxQueued(): number } {
  let maxQueued = 0;
  const forward = (from: RTCDataChannel, to: RTCDataChannel) => {
    const queue: ArrayBuffer[] = [];
    let queued = 0;
    to.bufferedAmountLowThreshold = LOW_WATER;
    to.onbufferedamountlow = () => {
      while (queue.length > 0 && to.bufferedAmount < HIGH_WATER) {
        const buf = queue.shift()!;
        queued -= buf.byteLength;
        to.send(buf);
      }
    };
    from.onmessage = (ev: MessageEvent) => {
      const buf = ev.data as ArrayBuffer;
      if (queue.length > 0 || to.bufferedAmount >= HIGH_WATER) {
        queue.push(buf);
        queued += buf.byteLength;
        maxQueued = Math.max(maxQueued, queued);
      } else to.send(buf);
    };
  };
  forward(first.b, second.a);
  forward(second.a, first.b);
  return {
    a: first.a,
    b: second.b,
    close: () => {
      first.close();
      second.close();
    },
    maxQueued: () => maxQueued,
  };
}
