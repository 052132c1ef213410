/**
 * A link's cost for routing, from ping round trips: in 0.1 ms units, a per-hop overhead (1 ms)
 * plus the one-way base latency, inflated by the loss estimate.
 *
 * The base is the MINIMUM of recent RTT samples: over a reliable data channel a lost packet
 * shows up as one sample inflated by a retransmission timeout (and head-of-line blocking), and
 * an average would make the cost — and with it the adverts every node floods — swing with each
 * one. Such spikes feed the loss estimate instead, which moves slowly.
 */
const RTT_SAMPLES = 8;
/** Cost-triggered adverts per link at most this often (link up/down adverts are not limited). */
const COST_ADVERT_MS = 30_000;

export class LinkCost {
  /** Smoothed RTT, for display. */
  rttMs = 0;
  private loss = 0;
  private readonly samples: number[] = [];
  private sampleAt = 0;
  private advertisedCost = 0;
  private advertisedAt = -Infinity;
  private advertisedMeasured = false;

  handshakeRtt(ms: number): void {
    this.rttMs = ms;
  }

  sample(ms: number): void {
    this.rttMs = this.samples.length ? this.rttMs * 0.75 + ms * 0.25 : ms;
    const base = this.samples.length ? Math.min(...this.samples) : ms;
    const spike = ms > 2 * base + 20;
    this.samples[this.sampleAt++ % RTT_SAMPLES] = ms;
    this.loss = this.loss * 0.95 + (spike ? 0.05 : 0);
  }

  /** A ping went unanswered for a whole interval. */
  lostPong(): void {
    this.loss = this.loss * 0.95 + 0.05;
  }

  cost(): number {
    const base = this.samples.length ? Math.min(...this.samples) : this.rttMs;
    const c = Math.round(10 + 5 * base * (1 + 3 * this.loss));
    return Math.min(65535, Math.max(1, c));
  }

  /**
   * Whether the cost moved enough, for long enough, to be worth an advert (each one is flooded
   * to every node): by half, and at most once per COST_ADVERT_MS — except that a cost first
   * advertised from the handshake's round trip (signing, queueing behind the database sync,
   * maybe a retransmission) may be corrected as soon as a few pings measured the link.
   */
  drifted(now: number): boolean {
    if (this.advertisedMeasured && now - this.advertisedAt < COST_ADVERT_MS) return false;
    if (!this.advertisedMeasured && this.samples.length < 3) return false;
    const c = this.cost();
    return Math.abs(c - this.advertisedCost) > Math.max(5, this.advertisedCost * 0.5);
  }

  markAdvertised(now: number): void {
    this.advertisedCost = this.cost();
    this.advertisedAt = now;
    this.advertisedMeasured = this.samples.length >= 3;
  }
}
