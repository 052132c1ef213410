/**
 * Golden test of the one featuriser: the model was trained on exactly these indices and values, so
 * any change here silently breaks the shipped model. If you change the featuriser on purpose, bump
 * FEATURIZER_VERSION, regenerate featurize.golden.json, and retrain (`npm run train`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_DIM,
  featurize,
  FEATURIZER_VERSION,
  MAX_FEATURES,
  MAX_WORDS,
  WORD_DIM,
  wordId,
} from './featurize.ts';
import { GOLDEN_TEXTS } from './featurize.golden-texts.ts';
import { tokenize } from './normalize.ts';

interface Golden {
  text: string;
  tokens: string[];
  indices: number[];
  values: number[];
  words: number[];
}
const golden = JSON.parse(
  readFileSync(new URL('./featurize.golden.json', import.meta.url), 'utf8'),
) as Golden[];
const card = JSON.parse(
  readFileSync(new URL('../../public/models/spam-model.json', import.meta.url), 'utf8'),
) as {
  featurizer: {
    version: string;
    dim: number;
    maxFeatures: number;
    wordDim: number;
    maxWords: number;
  };
};

describe('featurize (golden)', () => {
  it('covers the golden texts', () => {
    expect(golden.map((g) => g.text)).toEqual(GOLDEN_TEXTS);
  });
  it.each(golden.map((g) => [g.text, g] as const))('%j', (_text, g) => {
    const f = featurize(g.text);
    expect(tokenize(g.text)).toEqual(g.tokens);
    expect(Array.from(f.indices)).toEqual(g.indices);
    // Float32 values are produced by the same operations everywhere: exact equality is expected.
    expect(Array.from(f.values)).toEqual(g.values);
    expect(Array.from(f.words)).toEqual(g.words);
  });
  it('matches the model card the shipped model was trained with', () => {
    expect(card.featurizer).toMatchObject({
      version: FEATURIZER_VERSION,
      dim: FEATURE_DIM,
      maxFeatures: MAX_FEATURES,
      wordDim: WORD_DIM,
      maxWords: MAX_WORDS,
    });
  });
  it('keeps indices sorted, in range, at most MAX_FEATURES, unit length', () => {
    const f = featurize(
      'word '.repeat(10) + Array.from({ length: 300 }, (_, i) => `w${i}x`).join(' '),
    );
    expect(f.indices.length).toBeLessThanOrEqual(MAX_FEATURES);
    let norm = 0;
    for (let i = 0; i < f.indices.length; i++) {
      expect(f.indices[i]).toBeGreaterThan(i === 0 ? 0 : (f.indices[i - 1] as number));
      expect(f.indices[i]).toBeLessThan(FEATURE_DIM);
      norm += (f.values[i] as number) ** 2;
    }
    expect(norm).toBeCloseTo(1, 5);
  });
  it('lists each distinct word once, sorted, in range, at most MAX_WORDS', () => {
    const f = featurize(
      'free free prize ' + Array.from({ length: 200 }, (_, i) => `w${i}x`).join(' '),
    );
    // 64 tokens (the cap), "free" twice: 63 distinct words.
    expect(f.words.length).toBe(MAX_WORDS - 1);
    expect(f.words).toContain(wordId('free'));
    for (let i = 0; i < f.words.length; i++) {
      expect(f.words[i]).toBeGreaterThan(i === 0 ? 0 : (f.words[i - 1] as number));
      expect(f.words[i]).toBeLessThan(WORD_DIM);
    }
    expect(featurize('').words.length).toBe(0);
  });
});
