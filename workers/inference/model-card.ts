/**
 * The model card (`public/models/spam-model.json`): written by scripts/train, read by the worker
 * (`info()`, thresholds, file names) and checked against the featuriser it was trained with.
 */
import { MeshError } from '../../src/protocol/errors.ts';
import { FEATURIZER_VERSION } from './featurize.ts';

export type Variant = 'int8' | 'float32';
export type Strictness = 'low' | 'medium' | 'high';

export interface SplitMetrics {
  readonly n: number;
  readonly spam: number;
  readonly threshold: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface DataSource {
  readonly name: string;
  readonly npmPackage: string;
  readonly version: string;
  readonly licence: string;
  readonly url: string;
  readonly citation?: string;
  readonly use: string;
}

export interface ModelCard {
  readonly name: string;
  readonly createdAt: string;
  readonly featurizer: {
    readonly version: string;
    readonly dim: number;
    readonly maxFeatures: number;
    readonly maxTokens: number;
    /** Hash space and model input width of the Naive Bayes part's word ids. */
    readonly wordDim: number;
    readonly maxWords: number;
  };
  readonly architecture: string;
  readonly hidden: number;
  readonly files: Readonly<
    Record<Variant, { readonly path: string; readonly bytes: number; readonly sha256: string }>
  >;
  /** Score ≥ threshold ⇒ flagged. `low` flags least (fewest false alarms), `high` flags most. */
  readonly thresholds: Readonly<Record<Strictness, number>>;
  readonly defaultStrictness: Strictness;
  readonly data: readonly DataSource[];
  readonly split: Readonly<Record<string, unknown>>;
  /** Held-out test metrics per variant and strictness, plus out-of-domain checks. */
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly training: Readonly<Record<string, unknown>>;
}

/** Shallow structural check of a fetched card: enough to fail loudly on a stale or wrong file. */
export function parseModelCard(json: unknown): ModelCard {
  const c = json as Partial<ModelCard> | null;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    typeof c.featurizer?.version === 'string' &&
    typeof c.featurizer.dim === 'number' &&
    typeof c.featurizer.maxFeatures === 'number' &&
    typeof c.featurizer.maxWords === 'number' &&
    typeof c.files?.int8?.path === 'string' &&
    typeof c.files.float32?.path === 'string' &&
    typeof c.thresholds?.medium === 'number';
  if (!ok) throw new MeshError('bad-json', 'spam model card is malformed');
  // A model fed features it was not trained on scores garbage without any error: refuse it.
  if (c.featurizer.version !== FEATURIZER_VERSION) {
    throw new MeshError(
      'bad-json',
      `spam model card is for featuriser ${c.featurizer.version}, this build has ${FEATURIZER_VERSION} (stale cache?)`,
    );
  }
  return c as ModelCard;
}
