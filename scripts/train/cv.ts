/**
 * Cross-validation on train+validation (the "development set"), the only data model and threshold
 * decisions are made from. The held-out test split is never passed in here.
 *
 * Folds are fixed (example i is in fold i mod k; the development set is already shuffled and
 * stratified). Each fold's ensemble trains on the other k−1 folds for a FIXED number of epochs,
 * exactly as the shipped model trains on the whole development set: no early stopping on the
 * scored fold, so out-of-fold scores are honest estimates of how the shipped model scores new
 * messages (only slightly pessimistic: each fold model sees (k−1)/k of the data).
 */
import type { Example } from './data.ts';
import { fitNaiveBayes, nbLogit } from './naive-bayes.ts';
import type { MlpWeights } from '../../workers/inference/js-model.ts';
import type { TrainItem, TrainOptions } from './mlp.ts';
import { trainMlp } from './mlp.ts';
import type { TRAINING } from './config.ts';

export type TrainingConfig = typeof TRAINING;

/** Train + validation: with a fixed epoch count there is nothing left to early-stop on. */
export function devSet(train: readonly Example[], val: readonly Example[]): Example[] {
  return [...train, ...val];
}

export function toItem(cfg: TrainingConfig): (e: Example) => TrainItem {
  return (e) => ({
    features: e.features,
    label: e.label,
    weight: e.label === 1 ? cfg.spamWeight : 1,
  });
}

export function trainOptions(
  cfg: TrainingConfig,
  dim: number,
  log?: (line: string) => void,
): TrainOptions {
  return {
    dim,
    hidden: cfg.hiddenPerMember,
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    inputDropout: cfg.inputDropout,
    seed: cfg.seed,
    patience: cfg.epochs,
    log,
  };
}

/** Ensemble logit (mean of the members' logits, what the merged network computes), in float64. */
export function logit(e: Example, w: MlpWeights): number {
  const H = w.hidden;
  const h = new Float64Array(H);
  for (let j = 0; j < H; j++) h[j] = w.b1[j] as number;
  const x = e.features;
  for (let k = 0; k < x.indices.length; k++) {
    const v = x.values[k] as number;
    const row = (x.indices[k] as number) * H;
    for (let j = 0; j < H; j++) h[j] = (h[j] as number) + v * (w.w1[row + j] as number);
  }
  let z = w.b2;
  for (let j = 0; j < H; j++) z += Math.max(0, h[j] as number) * (w.w2[j] as number);
  return z;
}

/** Out-of-fold Naive Bayes logits, on the same folds as `outOfFoldLogits`. */
export function outOfFoldNb(examples: readonly Example[], cfg: TrainingConfig): Float64Array {
  const out = new Float64Array(examples.length);
  for (let k = 0; k < cfg.folds; k++) {
    const nb = fitNaiveBayes(
      examples.filter((_, i) => i % cfg.folds !== k),
      cfg.nbAlpha,
    );
    examples.forEach((e, i) => {
      if (i % cfg.folds === k) out[i] = nbLogit(nb, e.features);
    });
  }
  return out;
}

/**
 * Out-of-fold ensemble logits after every epoch 1..cfg.epochs (epoch → one logit per example).
 * Seeds: fold k, member m trains with seed + 1000·(k+1) + m.
 */
export function outOfFoldLogits(
  examples: readonly Example[],
  cfg: TrainingConfig,
  dim: number,
  log?: (line: string) => void,
): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  for (let e = 1; e <= cfg.epochs; e++) out.set(e, new Float64Array(examples.length));
  const item = toItem(cfg);
  for (let k = 0; k < cfg.folds; k++) {
    const inFold = (i: number): boolean => i % cfg.folds === k;
    const train = examples.filter((_, i) => !inFold(i)).map(item);
    const heldIdx = examples.map((_, i) => i).filter(inFold);
    for (let m = 0; m < cfg.members; m++) {
      trainMlp(train, [], {
        ...trainOptions(cfg, dim),
        seed: cfg.seed + 1000 * (k + 1) + m,
        onEpoch: (epoch, w) => {
          const z = out.get(epoch) as Float64Array;
          for (const i of heldIdx)
            z[i] = (z[i] as number) + logit(examples[i] as Example, w) / cfg.members;
        },
      });
    }
    log?.(`fold ${k + 1}/${cfg.folds} done`);
  }
  return out;
}
