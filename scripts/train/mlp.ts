/**
 * Training loop for the sparse-input MLP (hashed features → ReLU hidden layer → spam logit),
 * written out by hand: binary cross-entropy, mini-batches, Adam with lazy updates of the first
 * layer (only the embedding rows a batch touched move, which is what makes 32k×H cheap), decoupled
 * weight decay, early stopping on validation loss when validation items are given (otherwise a
 * fixed number of epochs). Deterministic for a given seed.
 */
import type { SparseFeatures } from '../../workers/inference/featurize.ts';
import type { MlpWeights } from '../../workers/inference/js-model.ts';
import { gaussian, mulberry32, shuffleInPlace } from './rng.ts';

export interface TrainItem {
  readonly features: SparseFeatures;
  readonly label: 0 | 1;
  readonly weight: number;
}

export interface TrainOptions {
  readonly dim: number;
  readonly hidden: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly weightDecay: number;
  /** Probability of dropping each input feature during training (robustness to unseen words). */
  readonly inputDropout: number;
  readonly seed: number;
  /** Early-stopping patience on validation loss; unused when no validation items are given. */
  readonly patience: number;
  readonly log?: (line: string) => void;
  /** Called after every epoch with the current weights (model selection: one run, many epochs). */
  readonly onEpoch?: (epoch: number, w: MlpWeights) => void;
}

class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  constructor(size: number) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }
  step(p: Float32Array, g: Float32Array, i: number, lr: number, t: number, wd: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const gi = g[i] as number;
    const m = (this.m[i] = b1 * (this.m[i] as number) + (1 - b1) * gi);
    const v = (this.v[i] = b2 * (this.v[i] as number) + (1 - b2) * gi * gi);
    const mh = m / (1 - b1 ** t);
    const vh = v / (1 - b2 ** t);
    p[i] = (p[i] as number) - lr * (mh / (Math.sqrt(vh) + 1e-8) + wd * (p[i] as number));
  }
}

function forward(
  x: SparseFeatures,
  w: MlpWeights,
  h: Float64Array,
  keep: (k: number) => number,
): number {
  const H = w.hidden;
  for (let j = 0; j < H; j++) h[j] = w.b1[j] as number;
  for (let k = 0; k < x.indices.length; k++) {
    const v = (x.values[k] as number) * keep(k);
    if (v === 0) continue;
    const row = (x.indices[k] as number) * H;
    for (let j = 0; j < H; j++) h[j] = (h[j] as number) + v * (w.w1[row + j] as number);
  }
  let z = w.b2;
  for (let j = 0; j < H; j++) {
    const a = Math.max(0, h[j] as number);
    h[j] = a;
    z += a * (w.w2[j] as number);
  }
  return z;
}

export function logLoss(items: readonly TrainItem[], w: MlpWeights): number {
  const h = new Float64Array(w.hidden);
  let loss = 0;
  let total = 0;
  for (const it of items) {
    const z = forward(it.features, w, h, () => 1);
    // log(1 + e^{-z}) for spam, log(1 + e^{z}) for ham, computed stably.
    const s = it.label === 1 ? -z : z;
    loss += it.weight * (Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))));
    total += it.weight;
  }
  return loss / total;
}

export function initWeights(
  dim: number,
  hidden: number,
  seed: number,
): MlpWeights & { b2: number } {
  const rand = mulberry32(seed);
  const w1 = new Float32Array(dim * hidden);
  // Inputs are L2-normalised, so a row scale of ~0.5 gives hidden pre-activations of ~0.5.
  for (let i = hidden; i < w1.length; i++) w1[i] = 0.5 * gaussian(rand);
  // Row 0 is the padding index of the fixed-width model input and must stay exactly zero.
  const w2 = new Float32Array(hidden);
  for (let j = 0; j < hidden; j++) w2[j] = gaussian(rand) / Math.sqrt(hidden);
  return { dim, hidden, w1, b1: new Float32Array(hidden).fill(0.01), w2, b2: 0 };
}

export function trainMlp(
  train: readonly TrainItem[],
  val: readonly TrainItem[],
  o: TrainOptions,
): MlpWeights {
  const H = o.hidden;
  const w = initWeights(o.dim, H, o.seed);
  const b2Box = new Float32Array([w.b2]);
  const params = { ...w, b2: 0 };
  const g1 = new Float32Array(o.dim * H);
  const gb1 = new Float32Array(H);
  const gw2 = new Float32Array(H);
  const gb2 = new Float32Array(1);
  const touched = new Uint8Array(o.dim);
  const rows: number[] = [];
  const opt = { w1: new Adam(g1.length), b1: new Adam(H), w2: new Adam(H), b2: new Adam(1) };
  const rand = mulberry32(o.seed ^ 0x9e3779b9);
  const h = new Float64Array(H);
  const order = train.map((_, i) => i);
  let t = 0;
  let best = {
    loss: Infinity,
    epoch: -1,
    w1: w.w1.slice(),
    b1: w.b1.slice(),
    w2: w.w2.slice(),
    b2: 0,
  };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (let start = 0; start < order.length; start += o.batchSize) {
      const batch = order.slice(start, start + o.batchSize);
      let wsum = 0;
      for (const i of batch) wsum += (train[i] as TrainItem).weight;
      for (const i of batch) {
        const it = train[i] as TrainItem;
        const x = it.features;
        const mask = x.indices.map(() => (rand() < o.inputDropout ? 0 : 1 / (1 - o.inputDropout)));
        params.b2 = b2Box[0] as number;
        const z = forward(x, params, h, (k) => mask[k] as number);
        const p = 1 / (1 + Math.exp(-z));
        const dz = ((p - it.label) * it.weight) / wsum;
        gb2[0] = (gb2[0] as number) + dz;
        for (let j = 0; j < H; j++) {
          const a = h[j] as number;
          gw2[j] = (gw2[j] as number) + dz * a;
          if (a <= 0) continue;
          const dh = dz * (w.w2[j] as number);
          gb1[j] = (gb1[j] as number) + dh;
          for (let k = 0; k < x.indices.length; k++) {
            const idx = x.indices[k] as number;
            const v = (x.values[k] as number) * (mask[k] as number);
            if (v === 0) continue;
            g1[idx * H + j] = (g1[idx * H + j] as number) + dh * v;
          }
        }
        for (let k = 0; k < x.indices.length; k++) {
          const idx = x.indices[k] as number;
          if (!touched[idx]) {
            touched[idx] = 1;
            rows.push(idx);
          }
        }
      }
      t++;
      for (const r of rows) {
        for (let i = r * H; i < (r + 1) * H; i++) {
          opt.w1.step(w.w1, g1, i, o.lr, t, o.weightDecay);
          g1[i] = 0;
        }
        touched[r] = 0;
      }
      rows.length = 0;
      for (let j = 0; j < H; j++) {
        opt.b1.step(w.b1, gb1, j, o.lr, t, 0);
        opt.w2.step(w.w2, gw2, j, o.lr, t, o.weightDecay);
      }
      opt.b2.step(b2Box, gb2, 0, o.lr, t, 0);
      gb1.fill(0);
      gw2.fill(0);
      gb2.fill(0);
    }
    params.b2 = b2Box[0] as number;
    o.onEpoch?.(epoch + 1, { ...params, b2: Math.fround(params.b2) });
    // Without validation items: a fixed number of epochs (chosen by cross-validation), last wins.
    const vl = val.length > 0 ? logLoss(val, params) : -epoch;
    o.log?.(
      `epoch ${epoch + 1}: train loss ${logLoss(train, params).toFixed(4)}` +
        (val.length > 0 ? `, val loss ${vl.toFixed(4)}` : ''),
    );
    if (vl < best.loss)
      best = {
        loss: vl,
        epoch,
        w1: w.w1.slice(),
        b1: w.b1.slice(),
        w2: w.w2.slice(),
        b2: params.b2,
      };
    else if (epoch - best.epoch >= o.patience) break;
  }
  if (val.length > 0) o.log?.(`best epoch ${best.epoch + 1} (val loss ${best.loss.toFixed(4)})`);
  return { dim: o.dim, hidden: H, w1: best.w1, b1: best.b1, w2: best.w2, b2: Math.fround(best.b2) };
}
