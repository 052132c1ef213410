/**
 * Naive Bayes and the stacker: the fitted log-odds point the right way, the stacker recovers known
 * weights, and folding it into the network changes nothing but where the arithmetic happens.
 */
import { describe, expect, it } from 'vitest';
import { featurize, wordId } from '../../workers/inference/featurize.ts';
import { scoreFloat } from '../../workers/inference/js-model.ts';
import { mulberry32 } from './rng.ts';
import { dedupe, loadSms, split } from './data.ts';
import { trainMlp } from './mlp.ts';
import { fitNaiveBayes, nbLogit } from './naive-bayes.ts';
import { fitStacker, foldStack, stackedLogit } from './stack.ts';
import { logit as mlpLogit } from './cv.ts';

const msg = (text: string, label: 0 | 1) => ({ features: featurize(text), label });

describe('naive bayes', () => {
  const nb = fitNaiveBayes(
    [
      msg('win a free prize now', 1),
      msg('free entry win cash', 1),
      msg('see you at lunch', 0),
      msg('lunch at noon then home', 0),
      msg('call me when home', 0),
    ],
    0.5,
  );
  it('scores spam words up, ham words down, unseen words and padding 0', () => {
    expect(nb.logOdds[wordId('free')]).toBeGreaterThan(0);
    expect(nb.logOdds[wordId('lunch')]).toBeLessThan(0);
    expect(nb.logOdds[wordId('zebra')]).toBe(0);
    expect(nb.logOdds[0]).toBe(0);
    expect(nb.prior).toBeCloseTo(Math.log(2 / 3), 12);
    expect(nbLogit(nb, featurize('free prize'))).toBeGreaterThan(nbLogit(nb, featurize('lunch')));
  });
  it('rejects a one-class training set and a non-positive smoothing', () => {
    expect(() => fitNaiveBayes([msg('free prize', 1)], 0.5)).toThrow(RangeError);
    expect(() => fitNaiveBayes([msg('a b', 1), msg('c d', 0)], 0)).toThrow(RangeError);
  });
});

describe('stacker', () => {
  it('recovers the weights that generated the labels', () => {
    const rand = mulberry32(7);
    const n = 20_000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = 4 * rand() - 2;
      b[i] = 4 * rand() - 2;
      const p = 1 / (1 + Math.exp(-(0.5 + 1.5 * (a[i] as number) - 0.7 * (b[i] as number))));
      y[i] = rand() < p ? 1 : 0;
    }
    const s = fitStacker(a, b, y);
    expect(s.bias).toBeCloseTo(0.5, 1);
    expect(s.mlp).toBeCloseTo(1.5, 1);
    expect(s.nb).toBeCloseTo(-0.7, 1);
  });

  it('folded into the network, gives the stacked score', () => {
    // The corpus lists all ham before all spam: take some of each.
    const sms = loadSms();
    const { train, test } = split(dedupe([...sms.slice(0, 450), ...sms.slice(-150)]).examples, 1);
    const items = train.map((e) => ({ features: e.features, label: e.label, weight: 1 }));
    const mlp = trainMlp(items, [], {
      dim: 1 << 14,
      hidden: 4,
      epochs: 2,
      batchSize: 32,
      lr: 3e-3,
      weightDecay: 0,
      inputDropout: 0,
      seed: 5,
      patience: 2,
    });
    const nb = fitNaiveBayes(train, 0.5);
    const stacker = { bias: -0.4, mlp: 0.9, nb: 0.15 };
    const folded = foldStack(mlp, nb, stacker);
    for (const e of test.slice(0, 40)) {
      const z = stackedLogit(stacker, mlpLogit(e, mlp), nbLogit(nb, e.features));
      // float32 weights and arithmetic in the folded model vs float64 here.
      expect(scoreFloat(e.features, folded)).toBeCloseTo(1 / (1 + Math.exp(-z)), 4);
    }
  });
});
