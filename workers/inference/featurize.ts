/**
 * The one featuriser: training (scripts/train) and the browser worker both call `featurize`, and a
 * golden test pins its output, so a model never meets features it was not trained on.
 *
 * Features are hashed (no vocabulary to ship): word unigrams, word bigrams and character 3-grams
 * of the canonical tokens from normalize.ts, plus the message's shape (length, numbers, first
 * word). Each group is sublinear-tf weighted and L2-normalised on its own, then the whole vector
 * is L2-normalised, so a message's length does not swamp it.
 *
 * Beside that vector, `words` lists the message's distinct words hashed into a space of their own
 * (WORD_DIM buckets, no other group in it, so almost no collisions): the input of the model's
 * Naive Bayes part, which scores word presence. DOM-free: runs in workers, Node and tests.
 */
import { tokenize } from './normalize.ts';

export const FEATURIZER_VERSION = 'km-spam-feat-2';
/** Hash space; index 0 is reserved as padding (value 0), so real features land in 1..DIM-1. */
export const FEATURE_DIM = 1 << 14;
/** Fixed model input width: a message keeps at most this many distinct features. */
export const MAX_FEATURES = 256;
export const MAX_TOKENS = 64;
/** Message-shape features (length, number count, first word), added after the token features. */
const META_FEATURES = 3;
/** Hash space of `words`; index 0 is padding, so word ids land in 1..WORD_DIM-1. */
export const WORD_DIM = 1 << 16;
/** Fixed width of the model's `words` input: a message has at most MAX_TOKENS distinct words. */
export const MAX_WORDS = MAX_TOKENS;

/** Sparse feature vector, indices strictly increasing, all in 1..FEATURE_DIM-1. */
export interface SparseFeatures {
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** Distinct word ids (1..WORD_DIM-1), strictly increasing, at most MAX_WORDS. */
  readonly words: Int32Array;
}

const GROUP_WEIGHT = { w: 1, b: 0.6, c: 0.8, m: 0.5, f: 0.6 } as const;
type Group = keyof typeof GROUP_WEIGHT;

/** FNV-1a (32 bit) over UTF-16 code units, seeded per group so groups do not share buckets. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Fold the high bits in: FNV's low bits alone collide more for short keys.
  return (h ^ (h >>> 16)) >>> 0;
}

function bucket(group: Group, key: string): number {
  return 1 + (hashString(key, hashString(group)) % (FEATURE_DIM - 1));
}

const WORD_SEED = hashString('words');

/** A word's id in the `words` space. */
export function wordId(token: string): number {
  return 1 + (hashString(token, WORD_SEED) % (WORD_DIM - 1));
}

/** Features of a list of canonical tokens (exported for tests and the training corpus). */
export function featurizeTokens(tokens: readonly string[]): SparseFeatures {
  const counts: Record<Group, Map<number, number>> = {
    w: new Map(),
    b: new Map(),
    c: new Map(),
    m: new Map(),
    f: new Map(),
  };
  const seen = new Set<number>();
  const add = (g: Group, key: string, pending: [Group, number][]): void => {
    pending.push([g, bucket(g, key)]);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const pending: [Group, number][] = [];
    add('w', t, pending);
    if (i > 0) add('b', `${tokens[i - 1] as string} ${t}`, pending);
    const padded = `<${t}>`;
    for (let j = 0; j + 3 <= padded.length; j++) add('c', padded.slice(j, j + 3), pending);
    // A token is taken whole or not at all, so the cap never leaves half a word's features.
    let fresh = 0;
    for (const [, idx] of pending) if (!seen.has(idx)) fresh++;
    if (seen.size + fresh > MAX_FEATURES - META_FEATURES) break;
    for (const [g, idx] of pending) {
      seen.add(idx);
      counts[g].set(idx, (counts[g].get(idx) ?? 0) + 1);
    }
  }
  // Shape of the message: spam SMS run long and carry numbers; the words alone miss that.
  let numbers = 0;
  for (const t of tokens) if (/^(\d|tok)/.test(t)) numbers++;
  for (const key of [
    `len${Math.min(7, Math.floor(Math.log2(tokens.length + 1)))}`,
    `num${Math.min(4, numbers)}`,
  ]) {
    counts.m.set(bucket('m', key), 1);
  }
  // The opening word, as a group of its own: spam often opens with its hook ("free", "urgent").
  if (tokens.length > 0) counts.f.set(bucket('f', tokens[0] as string), 1);
  const acc = new Map<number, number>();
  for (const g of Object.keys(GROUP_WEIGHT) as Group[]) {
    let norm = 0;
    for (const c of counts[g].values()) norm += (1 + Math.log(c)) ** 2;
    if (norm === 0) continue;
    const scale = GROUP_WEIGHT[g] / Math.sqrt(norm);
    for (const [idx, c] of counts[g]) acc.set(idx, (acc.get(idx) ?? 0) + (1 + Math.log(c)) * scale);
  }
  const indices = Int32Array.from([...acc.keys()].sort((a, b) => a - b));
  let total = 0;
  for (const v of acc.values()) total += v * v;
  const inv = total > 0 ? 1 / Math.sqrt(total) : 0;
  const values = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++)
    values[i] = (acc.get(indices[i] as number) as number) * inv;
  const words = Int32Array.from(new Set(tokens.slice(0, MAX_WORDS).map(wordId))).sort();
  return { indices, values, words };
}

/** Raw message text → sparse features. */
export function featurize(text: string): SparseFeatures {
  return featurizeTokens(tokenize(text, MAX_TOKENS));
}
