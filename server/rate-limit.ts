/**
 * Per-socket flood control. Two token buckets in plain numbers (no timers, refilled lazily on each
 * message) so a socket costs a few bytes here, not a timer: one bucket admits messages, the
 * second counts how many excess messages we tolerate before deciding the client is hostile.
 */
export interface RateLimitOptions {
  /** Sustained messages per second a client may send. */
  ratePerS: number;
  /** Messages a client may send in one burst. */
  burst: number;
  /** Dropped messages tolerated (refilling at ratePerS) before the socket is disconnected. */
  dropBudget: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { ratePerS: 50, burst: 100, dropBudget: 100 };

export type RateVerdict = 'ok' | 'drop' | 'disconnect';

export class MessageRateLimiter {
  private tokens: number;
  private strikes: number;
  private last: number;

  constructor(
    private readonly opts: RateLimitOptions,
    now: number,
  ) {
    this.tokens = opts.burst;
    this.strikes = opts.dropBudget;
    this.last = now;
  }

  check(now: number): RateVerdict {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      const refill = (elapsed * this.opts.ratePerS) / 1000;
      this.tokens = Math.min(this.opts.burst, this.tokens + refill);
      this.strikes = Math.min(this.opts.dropBudget, this.strikes + refill);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'ok';
    }
    if (this.strikes >= 1) {
      this.strikes -= 1;
      return 'drop';
    }
    return 'disconnect';
  }
}
