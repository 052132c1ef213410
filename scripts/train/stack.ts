/**
 * Stacking: a logistic regression on the out-of-fold logits of the two models,
 *   logit = c + a·z_mlp + b·z_nb,
 * fitted by Newton's method (3 parameters, convex, a few iterations) on cross-validation scores
 * only. Its weights are then folded into one network (`foldStack`), so the shipped ONNX graph is
 * the MLP plus one table lookup, with no stacking stage at run time.
 */
import { WORD_DIM } from '../../workers/inference/featurize.ts';
import type { MlpWeights, SpamWeights } from '../../workers/inference/js-model.ts';
import type { NaiveBayes } from './naive-bayes.ts';

export interface Stacker {
  readonly bias: number;
  readonly mlp: number;
  readonly nb: number;
}

/** Solves the 3×3 system m·d = g by Gaussian elimination with partial pivoting. */
function solve3(m: number[][], g: number[]): number[] {
  const a = m.map((row, i) => [...row, g[i] as number]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = c + 1; r < 3; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let q = c; q < 4; q++) a[r]![q]! -= f * a[c]![q]!;
    }
  }
  const d = [0, 0, 0];
  for (let c = 2; c >= 0; c--) {
    let s = a[c]![3]!;
    for (let q = c + 1; q < 3; q++) s -= a[c]![q]! * d[q]!;
    d[c] = s / a[c]![c]!;
  }
  return d;
}

export function fitStacker(
  zMlp: ArrayLike<number>,
  zNb: ArrayLike<number>,
  labels: ArrayLike<number>,
): Stacker {
  const n = labels.length;
  if (zMlp.length !== n || zNb.length !== n) throw new RangeError('stacker: length mismatch');
  let w = [0, 1, 0];
  for (let iter = 0; iter < 50; iter++) {
    const grad = [0, 0, 0];
    const hess = [
      [1e-6, 0, 0],
      [0, 1e-6, 0],
      [0, 0, 1e-6],
    ];
    for (let i = 0; i < n; i++) {
      const x = [1, zMlp[i] as number, zNb[i] as number];
      const p = 1 / (1 + Math.exp(-(w[0]! + w[1]! * x[1]! + w[2]! * x[2]!)));
      for (let u = 0; u < 3; u++) {
        grad[u]! += (p - (labels[i] as number)) * x[u]!;
        for (let v = 0; v < 3; v++) hess[u]![v]! += p * (1 - p) * x[u]! * x[v]!;
      }
    }
    const step = solve3(hess, grad);
    w = w.map((v, u) => v - step[u]!);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return { bias: w[0]!, mlp: w[1]!, nb: w[2]! };
}

export function stackedLogit(s: Stacker, zMlp: number, zNb: number): number {
  return s.bias + s.mlp * zMlp + s.nb * zNb;
}

/**
 * One network computing sigmoid(stackedLogit): the MLP's output layer scaled by `mlp` (ReLU is
 * positively homogeneous only in its input, so scale w2/b2, not the hidden layer), the NB table
 * scaled by `nb`, and every constant (stacker bias, NB prior) moved into b2.
 */
export function foldStack(mlp: MlpWeights, nb: NaiveBayes, s: Stacker): SpamWeights {
  const table = new Float32Array(WORD_DIM);
  for (let id = 1; id < WORD_DIM; id++) table[id] = Math.fround(s.nb * (nb.logOdds[id] as number));
  return {
    ...mlp,
    w2: mlp.w2.map((v) => Math.fround(s.mlp * v)),
    b2: Math.fround(s.bias + s.mlp * mlp.b2 + s.nb * nb.prior),
    nb: table,
  };
}
