/**
 * Model selection by cross-validation only: `tsx scripts/train/select.ts '{"spamWeight":2}'`.
 *
 * Trains the k-fold ensembles of `npm run train` (same folds, same seeds) on train+validation with
 * the overrides given as JSON, and prints the out-of-fold (OOF) metrics after each epoch at the
 * thresholds `chooseThresholds` would pick, then the MLP + Naive Bayes stack at the last epoch (what
 * `npm run train` ships). The held-out test split is dropped before anything is
 * trained or scored here: this script cannot look at it.
 */
import { FEATURE_DIM } from '../../workers/inference/featurize.ts';
import { TRAINING } from './config.ts';
import { devSet, outOfFoldLogits, outOfFoldNb } from './cv.ts';
import { dedupe, loadSms, split } from './data.ts';
import { chooseThresholds, fmt, metricsAt } from './metrics.ts';
import { fitStacker, stackedLogit } from './stack.ts';

const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<Record<string, number>>;
const cfg = { ...TRAINING, ...overrides } as typeof TRAINING;
const t0 = performance.now();

const { train, val } = split(dedupe(loadSms()).examples, cfg.splitSeed);
const dev = devSet(train, val);
const labels = dev.map((e) => e.label);
const logits = outOfFoldLogits(dev, cfg, FEATURE_DIM);
const sig = (z: number): number => 1 / (1 + Math.exp(-z));

console.log(
  `config ${JSON.stringify(overrides)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
);
for (const [epoch, z] of logits) {
  const scores = Array.from(z, sig);
  let loss = 0;
  scores.forEach((p, i) => {
    const q = labels[i] === 1 ? p : 1 - p;
    loss -= Math.log(Math.max(q, 1e-12));
  });
  const t = chooseThresholds(scores, labels);
  const m = metricsAt(scores, labels, t.medium);
  const lo = metricsAt(scores, labels, t.low);
  const hi = metricsAt(scores, labels, t.high);
  console.log(
    `epoch ${String(epoch).padStart(2)} loss ${(loss / scores.length).toFixed(4)} | medium ${fmt(m)} | low t=${t.low} P=${lo.precision.toFixed(3)} R=${lo.recall.toFixed(3)} | high t=${t.high} P=${hi.precision.toFixed(3)} R=${hi.recall.toFixed(3)}`,
  );
}

const last = logits.get(cfg.epochs);
if (last) {
  const nb = outOfFoldNb(dev, cfg);
  const stacker = fitStacker(last, nb, labels);
  const stacked = Array.from(last, (z, i) => sig(stackedLogit(stacker, z, nb[i] as number)));
  const t = chooseThresholds(stacked, labels);
  console.log(
    `stacked (epoch ${cfg.epochs}) | medium ${fmt(metricsAt(stacked, labels, t.medium))}`,
  );
}
