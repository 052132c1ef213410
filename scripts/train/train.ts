/**
 * `npm run train`: data → split → ensemble MLP → thresholds → int8 → ONNX files + model card.
 * Deterministic (fixed seeds). Exits non-zero when a quality target is missed on the held-out split.
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
} from '../../workers/inference/featurize.ts';
import { scoreFloat, scoreInt8 } from '../../workers/inference/js-model.ts';
import type { ModelCard, Strictness } from '../../workers/inference/model-card.ts';
import { floatWeights, int8Weights } from '../../workers/inference/onnx-weights.ts';
import { dedupe, loadEmails, loadSms, split } from './data.ts';
import type { Example } from './data.ts';
import { trainEnsemble } from './ensemble.ts';
import { exportFloat, exportInt8 } from './export-onnx.ts';
import { chooseThresholds, fmt, metricsAt } from './metrics.ts';
import type { Metrics } from './metrics.ts';
import type { TrainItem, TrainOptions } from './mlp.ts';
import { quantize } from './quantize.ts';
import { outOfFoldScores } from './cv.ts';
import { DATA_SOURCES, TARGETS, TRAINING } from './config.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = resolve(root, 'public/models');
const log = (line: string): void => console.log(line);
const t0 = performance.now();
const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

const item = (e: Example): TrainItem => ({
  features: e.features,
  label: e.label,
  weight: e.label === 1 ? TRAINING.spamWeight : 1,
});
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

// 2. Train.
const opts: TrainOptions = {
  dim: FEATURE_DIM,
  hidden: TRAINING.hiddenPerMember,
  epochs: TRAINING.epochs,
  batchSize: TRAINING.batchSize,
  lr: TRAINING.lr,
  weightDecay: TRAINING.weightDecay,
  inputDropout: TRAINING.inputDropout,
  seed: TRAINING.seed,
  patience: TRAINING.patience,
  log,
};
const trained = trainEnsemble(splits.train.map(item), splits.val.map(item), opts, TRAINING.members);
log(`trained ${TRAINING.members}×${TRAINING.hiddenPerMember} hidden units (${elapsed()})`);

// 3. Export, then evaluate the weights as read back from the ONNX bytes: what ships is what we score.
const meta = {
  maxFeatures: MAX_FEATURES,
  props: {
    featurizer: FEATURIZER_VERSION,
    dim: String(FEATURE_DIM),
    maxFeatures: String(MAX_FEATURES),
  },
};
const floatBytes = exportFloat(trained, meta);
const int8Bytes = exportInt8(
  quantize(
    trained,
    splits.train.map((e) => e.features),
  ),
  meta,
);
const wf = floatWeights(floatBytes);
const wq = int8Weights(int8Bytes);
const scorers = {
  float32: (e: Example) => scoreFloat(e.features, wf),
  int8: (e: Example) => scoreInt8(e.features, wq),
};

// Thresholds from out-of-fold scores on train+validation (the split is already shuffled).
const devSet = [...splits.train, ...splits.val];
const oof = outOfFoldScores(devSet, item, opts, TRAINING.members, TRAINING.folds);
const thresholds = chooseThresholds(oof, labels(devSet));
const cvMedium = metricsAt(oof, labels(devSet), thresholds.medium);
log(
  `thresholds from ${TRAINING.folds}-fold out-of-fold scores: ${JSON.stringify(thresholds)}; CV at medium: ${fmt(cvMedium)} (${elapsed()})`,
);

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
const test = evalAll(splits.test);
const val = evalAll(splits.val);
for (const variant of ['float32', 'int8'] as const) {
  for (const s of ['low', 'medium', 'high'] as const)
    log(`test ${variant.padEnd(7)} ${s.padEnd(6)} ${fmt(test[variant][s])}`);
}

// 4. Out-of-domain: held-out SpamAssassin e-mails (same dedupe and split procedure).
const emails = dedupe(loadEmails());
const emailTest = split(emails.examples, TRAINING.splitSeed).test;
const emailEval = evalAll(emailTest);
log(`out-of-domain e-mail test, float32 medium: ${fmt(emailEval.float32.medium)}`);
log(`out-of-domain e-mail test, int8    medium: ${fmt(emailEval.int8.medium)}`);

// 5. Write files and the card.
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
  },
  architecture: `hashed features (${FEATURE_DIM}) → bag-of-rows ${trained.hidden} ReLU (ensemble of ${TRAINING.members}×${TRAINING.hiddenPerMember}) → sigmoid`,
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
    heldOutTest: roundAll(test),
    crossValidationMedium: {
      note: `${TRAINING.folds}-fold out-of-fold on train+validation`,
      ...round(cvMedium),
    },
    validation: roundAll(val),
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

// 6. Targets.
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
if (failures.length > 0) {
  console.error(`TARGETS MISSED on the held-out split:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log(
  `targets met: float32 acc ${f.accuracy.toFixed(4)} P ${f.precision.toFixed(4)} R ${f.recall.toFixed(4)}; int8 acc ${q.accuracy.toFixed(4)}`,
);
