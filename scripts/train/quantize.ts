/**
 * Post-training int8 quantisation with fixed scales (computed once here, stored in the model):
 * W1 symmetric per hidden unit, hidden activations uint8 with a scale calibrated on the training
 * split, W2 symmetric per tensor. Biases and the Naive Bayes word table stay float32.
 */
import type { SparseFeatures } from '../../workers/inference/featurize.ts';
import { hiddenFloat } from '../../workers/inference/js-model.ts';
import type { SpamWeights, SpamWeightsInt8 } from '../../workers/inference/js-model.ts';

const f = Math.fround;

function symmetric(values: Float32Array, from: number, stride: number, count: number): number {
  let max = 0;
  for (let i = 0; i < count; i++)
    max = Math.max(max, Math.abs(values[from + i * stride] as number));
  return max > 0 ? max / 127 : 1;
}

export function quantize(w: SpamWeights, calibration: readonly SparseFeatures[]): SpamWeightsInt8 {
  const H = w.hidden;
  const w1Scale = new Float32Array(H);
  for (let j = 0; j < H; j++) w1Scale[j] = symmetric(w.w1, j, H, w.dim);
  const w1q = new Int8Array(w.w1.length);
  for (let i = 0; i < w.w1.length; i++) {
    w1q[i] = Math.max(
      -127,
      Math.min(127, Math.round((w.w1[i] as number) / (w1Scale[i % H] as number))),
    );
  }
  // Activation range from the training split: the 99.9th percentile, so one outlier does not
  // coarsen every other message's resolution (larger values saturate at 255).
  const acts: number[] = [];
  const h = new Float32Array(H);
  for (const x of calibration) for (const a of hiddenFloat(x, w, h)) acts.push(a);
  acts.sort((a, b) => a - b);
  const top = acts[Math.min(acts.length - 1, Math.floor(acts.length * 0.999))] ?? 1;
  const hScale = f(Math.max(top, 1e-6) / 255);
  const w2Scale = f(symmetric(w.w2, 0, 1, H));
  const w2q = new Int8Array(H);
  for (let j = 0; j < H; j++)
    w2q[j] = Math.max(-127, Math.min(127, Math.round((w.w2[j] as number) / w2Scale)));
  return {
    dim: w.dim,
    hidden: H,
    w1q,
    w1Scale,
    b1: w.b1,
    hScale,
    w2q,
    outScale: f(hScale * w2Scale),
    b2: w.b2,
    // 64k floats (256 KiB), one looked up per word: not worth int8's dequantise-on-every-run cost.
    nb: w.nb,
  };
}
