/**
 * A few small MLPs trained from different seeds, merged into one wider MLP: member m's hidden units
 * sit side by side and its output weights are divided by the member count, so the merged network
 * outputs sigmoid(mean of member logits) exactly. Averaging seeds cuts the run-to-run variance a
 * 3.5k-message training set otherwise shows, at no extra inference machinery.
 */
import type { MlpWeights } from '../../workers/inference/js-model.ts';
import { trainMlp } from './mlp.ts';
import type { TrainItem, TrainOptions } from './mlp.ts';

export function mergeMembers(members: readonly MlpWeights[]): MlpWeights {
  const first = members[0];
  if (!first) throw new Error('mergeMembers: no members');
  const { dim, hidden: h } = first;
  const H = h * members.length;
  const w1 = new Float32Array(dim * H);
  const b1 = new Float32Array(H);
  const w2 = new Float32Array(H);
  let b2 = 0;
  members.forEach((m, k) => {
    for (let r = 0; r < dim; r++) w1.set(m.w1.subarray(r * h, (r + 1) * h), r * H + k * h);
    b1.set(m.b1, k * h);
    for (let j = 0; j < h; j++) w2[k * h + j] = Math.fround((m.w2[j] as number) / members.length);
    b2 += m.b2 / members.length;
  });
  return { dim, hidden: H, w1, b1, w2, b2: Math.fround(b2) };
}

export function trainEnsemble(
  train: readonly TrainItem[],
  val: readonly TrainItem[],
  opts: TrainOptions,
  members: number,
): MlpWeights {
  const nets: MlpWeights[] = [];
  for (let k = 0; k < members; k++) {
    opts.log?.(`member ${k + 1}/${members}`);
    nets.push(trainMlp(train, val, { ...opts, seed: opts.seed + k }));
  }
  return mergeMembers(nets);
}
