/**
 * Out-of-fold scores over train+validation (k-fold, fixed seed), used to pick thresholds: 4k
 * messages give a far steadier precision/recall curve than the 500-message validation split alone.
 * Each fold model early-stops on its own held-out fold (only the epoch count is chosen there).
 * The test split is never touched.
 */
import { scoreFloat } from '../../workers/inference/js-model.ts';
import type { Example } from './data.ts';
import { trainEnsemble } from './ensemble.ts';
import type { TrainItem, TrainOptions } from './mlp.ts';

export function outOfFoldScores(
  examples: readonly Example[],
  item: (e: Example) => TrainItem,
  opts: TrainOptions,
  members: number,
  folds: number,
): Float32Array {
  const scores = new Float32Array(examples.length);
  for (let k = 0; k < folds; k++) {
    const inFold = (i: number): boolean => i % folds === k;
    const train = examples.filter((_, i) => !inFold(i)).map(item);
    const held = examples.filter((_, i) => inFold(i));
    const w = trainEnsemble(
      train,
      held.map(item),
      { ...opts, log: undefined, seed: opts.seed + 1000 * (k + 1) },
      members,
    );
    examples.forEach((e, i) => {
      if (inFold(i)) scores[i] = scoreFloat(e.features, w);
    });
    opts.log?.(`fold ${k + 1}/${folds} done`);
  }
  return scores;
}
