/**
 * Packs sparse feature vectors into the models' fixed-width input: K = MAX_FEATURES slots per
 * message, unused slots index 0 (a zero row of W1) with value 0. The width never depends on the
 * batch, so a message's arithmetic is the same alone or among 255 others.
 */
import { MAX_FEATURES } from './featurize.ts';
import type { SparseFeatures } from './featurize.ts';

export interface PackedBatch {
  readonly n: number;
  readonly k: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export function packBatch(items: readonly SparseFeatures[], k = MAX_FEATURES): PackedBatch {
  const indices = new Int32Array(items.length * k);
  const values = new Float32Array(items.length * k);
  items.forEach((x, row) => {
    // The featuriser caps at MAX_FEATURES; a longer vector here is a programming error upstream.
    const len = Math.min(x.indices.length, k);
    indices.set(x.indices.subarray(0, len), row * k);
    values.set(x.values.subarray(0, len), row * k);
  });
  return { n: items.length, k, indices, values };
}
