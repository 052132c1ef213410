import { describe, expect, it } from 'vitest';
import { LinkCost } from './link-cost.ts';

describe('link cost', () => {
  it('is 1 ms per hop plus the one-way base latency, in 0.1 ms units', () => {
    const c = new LinkCost();
    for (let i = 0; i < 5; i++) c.sample(20);
    expect(c.cost()).toBe(10 + 5 * 20);
  });

  it('a retransmission spike does not move the base; repeated spikes raise it slowly', () => {
    const c = new LinkCost();
    for (let i = 0; i < 5; i++) c.sample(20);
    const calm = c.cost();
    c.sample(400);
    expect(c.cost()).toBeLessThan(calm * 1.2);
    for (let i = 0; i < 40; i++) c.sample(i % 3 === 0 ? 400 : 20);
    expect(c.cost()).toBeGreaterThan(calm * 1.3);
  });

  it('re-advertises only on a large, lasting change, at most every 30 s once measured', () => {
    const c = new LinkCost();
    c.handshakeRtt(200); // inflated by the handshake
    c.markAdvertised(0);
    c.sample(20);
    expect(c.drifted(100)).toBe(false); // one sample is not a measurement
    c.sample(20);
    c.sample(20);
    expect(c.drifted(200)).toBe(true); // measured: correct the handshake guess at once
    c.markAdvertised(200);
    for (let i = 0; i < 8; i++) c.sample(80);
    expect(c.drifted(10_000)).toBe(false); // within 30 s of the last cost advert
    expect(c.drifted(31_000)).toBe(true);
  });
});
