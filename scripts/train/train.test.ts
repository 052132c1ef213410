/**
 * Smoke test of the trainer on a small subset (the real run is `npm run train`): loss goes down,
 * training is deterministic, and weights survive the ONNX export → read-back round trip.
 */
import { describe, expect, it } from 'vitest';
import { featurize } from '../../workers/inference/featurize.ts';
import { scoreFloat, scoreInt8 } from '../../workers/inference/js-model.ts';
import { floatWeights, int8Weights } from '../../workers/inference/onnx-weights.ts';
import { dedupe, loadSms, split } from './data.ts';
import { mergeMembers } from './ensemble.ts';
import { exportFloat, exportInt8 } from './export-onnx.ts';
import { chooseThresholds, metricsAt } from './metrics.ts';
import { initWeights, logLoss, trainMlp } from './mlp.ts';
import type { TrainItem, TrainOptions } from './mlp.ts';
import { fitNaiveBayes } from './naive-bayes.ts';
import { quantize } from './quantize.ts';
import { foldStack } from './stack.ts';

const DIM = 1 << 14;
// The corpus lists all ham before all spam: take some of each.
const sms = loadSms();
const s = split(dedupe([...sms.slice(0, 450), ...sms.slice(-150)]).examples, 1);
const items = (xs: typeof s.train): TrainItem[] =>
  xs.map((e) => ({ features: e.features, label: e.label, weight: 1 }));
const opts: TrainOptions = {
  dim: DIM,
  hidden: 4,
  epochs: 3,
  batchSize: 32,
  lr: 3e-3,
  weightDecay: 1e-4,
  inputDropout: 0.1,
  seed: 3,
  patience: 3,
};

describe('trainer smoke test', () => {
  it('lowers the loss and is deterministic', () => {
    const before = logLoss(items(s.train), initWeights(DIM, 4, 3));
    const a = trainMlp(items(s.train), items(s.val), opts);
    const b = trainMlp(items(s.train), items(s.val), opts);
    expect(logLoss(items(s.train), a)).toBeLessThan(before);
    expect(a.w1).toEqual(b.w1);
    expect(a.w1.subarray(0, 4)).toEqual(new Float32Array(4)); // padding row stays zero
  });

  it('round-trips through ONNX bytes, merged ensembles, the folded stacker and int8', () => {
    const mlp = mergeMembers([
      trainMlp(items(s.train), items(s.val), opts),
      trainMlp(items(s.train), items(s.val), { ...opts, seed: 4 }),
    ]);
    const w = foldStack(mlp, fitNaiveBayes(s.train, 0.5), { bias: 0.1, mlp: 0.8, nb: 0.2 });
    const meta = { maxFeatures: 256, maxWords: 64, props: {} };
    const back = floatWeights(exportFloat(w, meta));
    expect(back.w1).toEqual(w.w1);
    expect(back.w2).toEqual(w.w2);
    expect(back.nb).toEqual(w.nb);
    expect(back.b2).toBe(w.b2);
    const q = quantize(
      w,
      s.train.map((e) => e.features),
    );
    const qBack = int8Weights(exportInt8(q, meta));
    const x = featurize('free entry to win a prize, text WIN to 87121');
    expect(scoreInt8(x, qBack)).toBe(scoreInt8(x, q));
    expect(Math.abs(scoreInt8(x, q) - scoreFloat(x, w))).toBeLessThan(0.05);
  });

  it('chooses ordered thresholds', () => {
    const scores = [0.01, 0.2, 0.4, 0.6, 0.8, 0.99, 0.3, 0.7];
    const labels = [0, 0, 0, 1, 1, 1, 0, 1];
    const t = chooseThresholds(scores, labels);
    expect(t.high).toBeLessThanOrEqual(t.medium);
    expect(t.medium).toBeLessThanOrEqual(t.low);
    expect(metricsAt(scores, labels, t.medium).accuracy).toBe(1);
  });
});
