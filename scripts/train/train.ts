/**
 * `npm run train`: data → split → cross-validation → ensemble MLP + Naive Bayes, stacked →
 * thresholds → int8 → ONNX files + model card. Deterministic (fixed seeds). Exits non-zero when a quality target is missed
 * on the held-out split.
 *
 * Evaluation protocol (also written into the model card, `metrics.protocol`):
 * 1. The held-out test split is fixed: same data, same dedupe, same seed, same 70/10/20 split as
 *    every earlier revision. Nothing here is fitted, chosen or calibrated on it.
 * 2. Every model and threshold decision is made from 5-fold cross-validation on train+validation
 *    (the development set, `cv.ts`): the hyper-parameters and epoch count (`select.ts`, which
 *    drops the test split before it trains anything), the stacker's three weights (fitted on the
 *    out-of-fold logits of both models), the three thresholds (rule in `metrics.ts`, fixed before
 *    the test split was looked at), the int8 calibration (development set).
 *    Fold models train exactly as the shipped model does (fixed epochs, no early stopping on the
 *    scored fold), so out-of-fold scores are honest; the shipped model trains on all of train+val.
 * 3. The test split is scored once per candidate we would ship, and its numbers are reported as
 *    they are, whether or not they meet the targets. `TEST_LOOKS` (config.ts) counts those looks.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FEATURE_DIM,
  FEATURIZER_VERSION,
  MAX_FEATURES,
  MAX_TOKENS,
  MAX_WORDS,
  WORD_DIM,
} from '../../workers/inference/featurize.ts';
import { scoreFloat, scoreInt8 } from '../../workers/inference/js-model.ts';
import type { ModelCard, Strictness } from '../../workers/inference/model-card.ts';
import { floatWeights, int8Weights } from '../../workers/inference/onnx-weights.ts';
import { dedupe, loadEmails, loadSms, split } from './data.ts';
import type { Example } from './data.ts';
import { trainEnsemble } from './ensemble.ts';
import { exportFloat, exportInt8 } from './export-onnx.ts';
import { chooseThresholds, fmt, metricsAt, THRESHOLD_RULE } from './metrics.ts';
import type { Metrics } from './metrics.ts';
import { quantize } from './quantize.ts';
import { devSet, outOfFoldLogits, outOfFoldNb, toItem, trainOptions } from './cv.ts';
import { fitNaiveBayes } from './naive-bayes.ts';
import { fitStacker, foldStack, stackedLogit } from './stack.ts';
import { DATA_SOURCES, MODEL_SELECTION, TARGETS, TEST_LOOKS, TRAINING } from './config.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = resolve(root, 'public/models');
const log = (line: string): void => console.log(line);
const t0 = performance.now();
const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

const item = toItem(TRAINING);
const labels = (xs: readonly Example[]): number[] => xs.map((e) => e.label);

// 1. Data: SMS is what we train on and are measured on (chat-like); SpamAssassin e-mails are an
//    out-of-domain check (training on them lowered SMS quality in our experiments).
const sms = dedupe(loadSms());
const splits = split(sms.examples, TRAINING.splitSeed);
log(
  `SMS: ${sms.stats.input} messages, ${sms.stats.duplicates} duplicates, ${sms.stats.empty} empty → ${sms.examples.length}`,
);
log(
  `split (seed ${TRAINING.splitSeed}): train ${splits.train.length}, val ${splits.val.length}, test ${splits.test.length} (${elapsed()})`,
);

// 2. Cross-validation on the development set (train+validation): out-of-fold logits of the MLP
//    (after the configured number of epochs) and of Naive Bayes → the stacker, then the stacked
//    out-of-fold scores → thresholds and the CV metrics every decision rests on.
const dev = devSet(splits.train, splits.val);
const oofMlp = outOfFoldLogits(dev, TRAINING, FEATURE_DIM, log).get(TRAINING.epochs);
if (!oofMlp) throw new Error('no out-of-fold scores');
const oofNb = outOfFoldNb(dev, TRAINING);
const stacker = fitStacker(oofMlp, oofNb, labels(dev));
log(
  `stacker: logit = ${stacker.bias.toFixed(3)} + ${stacker.mlp.toFixed(3)}·mlp + ${stacker.nb.toFixed(3)}·nb`,
);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const oof = Array.from(oofMlp, (z, i) => sigmoid(stackedLogit(stacker, z, oofNb[i] as number)));
const cvParts = {
  mlp: chooseThresholds(Array.from(oofMlp, sigmoid), labels(dev)).medium,
  nb: chooseThresholds(Array.from(oofNb, sigmoid), labels(dev)).medium,
};
const cvPart = {
  mlp: metricsAt(Array.from(oofMlp, sigmoid), labels(dev), cvParts.mlp),
  nb: metricsAt(Array.from(oofNb, sigmoid), labels(dev), cvParts.nb),
};
log(`CV   mlp alone, medium rule: ${fmt(cvPart.mlp)}`);
log(`CV   nb alone,  medium rule: ${fmt(cvPart.nb)}`);
const thresholds = chooseThresholds(oof, labels(dev));
const cv = {
  low: metricsAt(oof, labels(dev), thresholds.low),
  medium: metricsAt(oof, labels(dev), thresholds.medium),
  high: metricsAt(oof, labels(dev), thresholds.high),
};
log(`thresholds from ${TRAINING.folds}-fold out-of-fold scores: ${JSON.stringify(thresholds)}`);
for (const s of ['low', 'medium', 'high'] as const) log(`CV   ${s.padEnd(6)} ${fmt(cv[s])}`);
log(`(${elapsed()})`);

// 3. The shipped model: the same procedure on all of the development set, stacker folded in.
const opts = trainOptions(TRAINING, FEATURE_DIM, log);
const mlp = trainEnsemble(dev.map(item), [], opts, TRAINING.members);
const trained = foldStack(mlp, fitNaiveBayes(dev, TRAINING.nbAlpha), stacker);
log(`trained ${TRAINING.members}×${TRAINING.hiddenPerMember} hidden units + NB (${elapsed()})`);

// 4. Export, then evaluate the weights as read back from the ONNX bytes: what ships is what we score.
const meta = {
  maxFeatures: MAX_FEATURES,
  maxWords: MAX_WORDS,
  props: {
    featurizer: FEATURIZER_VERSION,
    dim: String(FEATURE_DIM),
    maxFeatures: String(MAX_FEATURES),
    wordDim: String(WORD_DIM),
    maxWords: String(MAX_WORDS),
  },
};
const floatBytes = exportFloat(trained, meta);
const int8Bytes = exportInt8(
  quantize(
    trained,
    dev.map((e) => e.features),
  ),
  meta,
);
const wf = floatWeights(floatBytes);
const wq = int8Weights(int8Bytes);
const scorers = {
  float32: (e: Example) => scoreFloat(e.features, wf),
  int8: (e: Example) => scoreInt8(e.features, wq),
};

const evalAll = (
  xs: readonly Example[],
): Record<'float32' | 'int8', Record<Strictness, Metrics>> => {
  const res = {} as Record<'float32' | 'int8', Record<Strictness, Metrics>>;
  for (const variant of ['float32', 'int8'] as const) {
    const scores = xs.map(scorers[variant]);
    res[variant] = {
      low: metricsAt(scores, labels(xs), thresholds.low),
      medium: metricsAt(scores, labels(xs), thresholds.medium),
      high: metricsAt(scores, labels(xs), thresholds.high),
    };
  }
  return res;
};
// The one look at the held-out split for this candidate.
const test = evalAll(splits.test);
for (const variant of ['float32', 'int8'] as const) {
  for (const s of ['low', 'medium', 'high'] as const)
    log(`test ${variant.padEnd(7)} ${s.padEnd(6)} ${fmt(test[variant][s])}`);
}

// 5. Out-of-domain: held-out SpamAssassin e-mails (same dedupe and split procedure).
const emails = dedupe(loadEmails());
const emailTest = split(emails.examples, TRAINING.splitSeed).test;
const emailEval = evalAll(emailTest);
log(`out-of-domain e-mail test, float32 medium: ${fmt(emailEval.float32.medium)}`);
log(`out-of-domain e-mail test, int8    medium: ${fmt(emailEval.int8.medium)}`);

// 6. Targets (checked here, reported in the card, enforced at the end).
const f = test.float32.medium;
const q = test.int8.medium;
const failures: string[] = [];
if (f.accuracy < TARGETS.accuracy)
  failures.push(`accuracy ${f.accuracy.toFixed(4)} < ${TARGETS.accuracy}`);
if (f.precision < TARGETS.precision)
  failures.push(`spam precision ${f.precision.toFixed(4)} < ${TARGETS.precision}`);
if (f.recall < TARGETS.recall)
  failures.push(`spam recall ${f.recall.toFixed(4)} < ${TARGETS.recall}`);
if (Math.abs(f.accuracy - q.accuracy) > TARGETS.int8AccuracyDelta) {
  failures.push(
    `int8 accuracy ${q.accuracy.toFixed(4)} is more than ${TARGETS.int8AccuracyDelta} from float32`,
  );
}

// 7. Write files and the card.
mkdirSync(outDir, { recursive: true });
const files = { float32: 'spam-float32.onnx', int8: 'spam-int8.onnx' } as const;
const fileInfo = (name: string, bytes: Uint8Array) => ({
  path: `/models/${name}`,
  bytes: bytes.byteLength,
  sha256: createHash('sha256').update(bytes).digest('hex'),
});
writeFileSync(resolve(outDir, files.float32), floatBytes);
writeFileSync(resolve(outDir, files.int8), int8Bytes);
const round = (m: Metrics) => ({
  n: m.n,
  spam: m.spam,
  threshold: m.threshold,
  accuracy: +m.accuracy.toFixed(4),
  precision: +m.precision.toFixed(4),
  recall: +m.recall.toFixed(4),
  f1: +m.f1.toFixed(4),
  fp: m.fp,
  fn: m.fn,
});
const roundAll = (r: ReturnType<typeof evalAll>) => ({
  float32: {
    low: round(r.float32.low),
    medium: round(r.float32.medium),
    high: round(r.float32.high),
  },
  int8: { low: round(r.int8.low), medium: round(r.int8.medium), high: round(r.int8.high) },
});
const card: ModelCard = {
  name: 'katya-mesh spam/phishing screen',
  createdAt: new Date().toISOString().slice(0, 10),
  featurizer: {
    version: FEATURIZER_VERSION,
    dim: FEATURE_DIM,
    maxFeatures: MAX_FEATURES,
    maxTokens: MAX_TOKENS,
    wordDim: WORD_DIM,
    maxWords: MAX_WORDS,
  },
  architecture: `hashed features (${FEATURE_DIM}) → bag-of-rows ${trained.hidden} ReLU (ensemble of ${TRAINING.members}×${TRAINING.hiddenPerMember}) → logit, plus Naive Bayes word log-odds (${WORD_DIM} word ids, α ${TRAINING.nbAlpha}), stacked by a logistic regression fitted on ${TRAINING.folds}-fold out-of-fold logits and folded into the weights → sigmoid; both parts trained on train+validation`,
  hidden: trained.hidden,
  files: { float32: fileInfo(files.float32, floatBytes), int8: fileInfo(files.int8, int8Bytes) },
  thresholds,
  defaultStrictness: 'medium',
  data: DATA_SOURCES,
  split: {
    seed: TRAINING.splitSeed,
    method:
      'dedupe on canonical token string, then stratified shuffle 70/10/20 (train/validation/test)',
    dedupe: sms.stats,
    train: splits.train.length,
    validation: splits.val.length,
    test: splits.test.length,
    testSpam: splits.test.filter((e) => e.label === 1).length,
  },
  metrics: {
    protocol: {
      testSplit:
        'fixed: same data, dedupe, seed and 70/10/20 split as every earlier revision; nothing is fitted, chosen or calibrated on it',
      decisions: `every model and threshold decision from ${TRAINING.folds}-fold cross-validation on train+validation (out-of-fold scores; fold models train like the shipped model: fixed epochs, no early stopping on the scored fold); the shipped model trains on all of train+validation`,
      thresholdRule: `fixed before the test split was looked at, applied to out-of-fold scores on a 0.01 grid: medium (default) = lowest threshold with CV spam precision ≥ ${THRESHOLD_RULE.mediumMinPrecision} there and at every higher threshold (the 0.97 target plus one point of margin); low = lowest threshold ≥ medium with CV precision ≥ ${THRESHOLD_RULE.lowMinPrecision} there and above; high = highest threshold ≤ medium with CV recall ≥ ${THRESHOLD_RULE.highMinRecall}`,
      modelSelection: MODEL_SELECTION,
      testLooks: TEST_LOOKS,
    },
    targetCheck: { met: failures.length === 0, failures },
    heldOutTest: roundAll(test),
    crossValidation: {
      note: `${TRAINING.folds}-fold out-of-fold on train+validation (${dev.length} messages), stacked model`,
      low: round(cv.low),
      medium: round(cv.medium),
      high: round(cv.high),
      partsAtTheirOwnMediumRule: { mlp: round(cvPart.mlp), naiveBayes: round(cvPart.nb) },
      stacker,
    },
    outOfDomainEmailTest: {
      note: 'SpamAssassin e-mails, never trained on',
      ...roundAll(emailEval),
    },
    targets: TARGETS,
  },
  // No timings in the card: the same inputs must give byte-identical files.
  training: { ...TRAINING },
};
writeFileSync(resolve(outDir, 'spam-model.json'), `${JSON.stringify(card, null, 2)}\n`);
log(
  `wrote ${files.float32} (${floatBytes.byteLength} B), ${files.int8} (${int8Bytes.byteLength} B), spam-model.json (${elapsed()})`,
);

// 8. Enforce the targets.
if (failures.length > 0) {
  console.error(`TARGETS MISSED on the held-out split:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log(
  `targets met: float32 acc ${f.accuracy.toFixed(4)} P ${f.precision.toFixed(4)} R ${f.recall.toFixed(4)}; int8 acc ${q.accuracy.toFixed(4)}`,
);
