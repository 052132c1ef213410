/**
 * Small seeded PRNG (mulberry32) so tests, benchmarks and the simulator build the same graphs on
 * every run. Not cryptographic: never use it for keys, ids that must be unguessable, or nonces.
 */
export type Rng = () => number;

/** Uniform floats in [0, 1) from a 32-bit seed; period 2^32, which is plenty for test topologies. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [lo, hi] inclusive. */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** A 32-hex-char string shaped like a peer id (shape only; real ids derive from public keys). */
export function randomPeerId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    s += (Math.floor(rng() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  }
  return s;
}
