/**
 * Plain-JS evaluation of the spam MLP, the reference the ONNX graphs are checked against and the
 * baseline the benchmark compares with. It reads the same weights as the ONNX files (see
 * onnx-weights.ts) and follows their arithmetic in float32 order, including the int8 graph's
 * fixed-scale activation quantisation, so differences are rounding only.
 *
 *   h = relu(Σ_k values[k] · W1[indices[k]] + b1)      (a bag of embedding rows: sparse input)
 *   nb = Σ_w NB[words[w]]                               (Naive Bayes log-odds of the words present)
 *   score = sigmoid(h · w2 + b2 + nb)
 *
 * The two parts were fitted apart and stacked by a logistic regression (scripts/train/stack.ts),
 * whose weights are folded into w2, b2 and NB: the sum above is the whole model.
 */
import type { SparseFeatures } from './featurize.ts';

/** The MLP part alone (what scripts/train/mlp.ts trains). */
export interface MlpWeights {
  readonly dim: number;
  readonly hidden: number;
  /** Row-major [dim, hidden]. */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** [hidden] (the [hidden, 1] output matrix). */
  readonly w2: Float32Array;
  readonly b2: number;
}

/** The shipped float32 model: the MLP with the stacker folded in, plus the NB word table. */
export interface SpamWeights extends MlpWeights {
  /** [WORD_DIM] per-word log-odds (index 0, the padding id, is 0); float32 in both variants. */
  readonly nb: Float32Array;
}

export interface SpamWeightsInt8 {
  readonly dim: number;
  readonly hidden: number;
  /** Row-major [dim, hidden], symmetric per hidden unit: W1 ≈ w1q · w1Scale[j]. */
  readonly w1q: Int8Array;
  readonly w1Scale: Float32Array;
  readonly b1: Float32Array;
  /** Hidden activations are quantised to uint8 with this fixed scale (zero point 0). */
  readonly hScale: number;
  readonly w2q: Int8Array;
  /** float32(hScale · w2Scale): turns the int32 accumulator back into a logit. */
  readonly outScale: number;
  readonly b2: number;
  readonly nb: Float32Array;
}

const f = Math.fround;

export function sigmoid(x: number): number {
  return f(1 / (1 + Math.exp(-x)));
}

/** Round half to even, as ONNX QuantizeLinear does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function hiddenFloat(x: SparseFeatures, w: MlpWeights, out: Float32Array): Float32Array {
  const H = w.hidden;
  out.fill(0);
  for (let k = 0; k < x.indices.length; k++) {
    const v = x.values[k] as number;
    const row = (x.indices[k] as number) * H;
    for (let j = 0; j < H; j++) out[j] = f((out[j] as number) + f(v * (w.w1[row + j] as number)));
  }
  for (let j = 0; j < H; j++) out[j] = Math.max(0, f((out[j] as number) + (w.b1[j] as number)));
  return out;
}

/** The Naive Bayes term, summed in input order as ReduceSum over the padded `words` row does. */
export function naiveBayes(x: SparseFeatures, nb: Float32Array): number {
  let s = 0;
  for (let k = 0; k < x.words.length; k++) s = f(s + (nb[x.words[k] as number] as number));
  return s;
}

export function scoreFloat(
  x: SparseFeatures,
  w: SpamWeights,
  scratch = new Float32Array(w.hidden),
): number {
  const h = hiddenFloat(x, w, scratch);
  let z = 0;
  for (let j = 0; j < w.hidden; j++) z = f(z + f((h[j] as number) * (w.w2[j] as number)));
  return sigmoid(f(f(z + w.b2) + naiveBayes(x, w.nb)));
}

/** The int8 graph: dequantised W1 rows, float bag sum, uint8 activations, integer output layer. */
export function scoreInt8(
  x: SparseFeatures,
  w: SpamWeightsInt8,
  scratch = new Float32Array(w.hidden),
): number {
  const H = w.hidden;
  const h = scratch.fill(0);
  for (let k = 0; k < x.indices.length; k++) {
    const v = x.values[k] as number;
    const row = (x.indices[k] as number) * H;
    for (let j = 0; j < H; j++) {
      const deq = f((w.w1q[row + j] as number) * (w.w1Scale[j] as number));
      h[j] = f((h[j] as number) + f(v * deq));
    }
  }
  let acc = 0;
  for (let j = 0; j < H; j++) {
    const a = Math.max(0, f((h[j] as number) + (w.b1[j] as number)));
    const q = Math.min(255, Math.max(0, roundHalfEven(f(a / w.hScale))));
    acc += q * (w.w2q[j] as number);
  }
  return sigmoid(f(f(f(acc * w.outScale) + w.b2) + naiveBayes(x, w.nb)));
}
