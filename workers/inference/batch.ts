/**
 * Packs sparse feature vectors into the models' fixed-width input: K = MAX_FEATURES slots per
 * message, unused slots index 0 (a zero row of W1) with value 0, and MAX_WORDS word slots, unused
 * ones word id 0 (a zero entry of the NB table). The widths never depend on the batch, so a
 * message's arithmetic is the same alone or among 255 others.
 */
import { MAX_FEATURES, MAX_WORDS } from './featurize.ts';
import type { SparseFeatures } from './featurize.ts';

export interface PackedBatch {
  readonly n: number;
  readonly k: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** Word slots per message. */
  readonly kw: number;
  readonly words: Int32Array;
}

export function packBatch(items: readonly SparseFeatures[], k = MAX_FEATURES): PackedBatch {
  const indices = new Int32Array(items.length * k);
  const values = new Float32Array(items.length * k);
  const kw = MAX_WORDS;
  const words = new Int32Array(items.length * kw);
  items.forEach((x, row) => {
    // The featuriser caps at MAX_FEATURES / MAX_WORDS; longer here is a bug upstream.
    const len = Math.min(x.indices.length, k);
    indices.set(x.indices.subarray(0, len), row * k);
    values.set(x.values.subarray(0, len), row * k);
    words.set(x.words.subarray(0, kw), row * kw);
  });
  return { n: items.length, k, indices, values, kw, words };
}
