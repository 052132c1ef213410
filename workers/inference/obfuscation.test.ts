/**
 * Obfuscated spellings must land on the plain spelling's features, and the shipped model must
 * flag typical obfuscated spam while leaving ordinary chat alone (default strictness unless noted).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featurize } from './featurize.ts';
import { scoreFloat, scoreInt8 } from './js-model.ts';
import { normalizeText, tokenize } from './normalize.ts';
import { floatWeights, int8Weights } from './onnx-weights.ts';

const file = (name: string): Uint8Array =>
  readFileSync(new URL(`../../public/models/${name}`, import.meta.url));
const card = JSON.parse(new TextDecoder().decode(file('spam-model.json'))) as {
  thresholds: { low: number; medium: number; high: number };
};
const wf = floatWeights(file('spam-float32.onnx'));
const wq = int8Weights(file('spam-int8.onnx'));
const score = (t: string): number => scoreFloat(featurize(t), wf);
const flagged = (t: string, level: 'low' | 'medium' | 'high' = 'medium'): boolean => {
  const x = featurize(t);
  // Both variants must agree on the decision for these clear cases.
  const f = scoreFloat(x, wf) >= card.thresholds[level];
  expect(scoreInt8(x, wq) >= card.thresholds[level]).toBe(f);
  return f;
};

describe('normalisation undoes obfuscation', () => {
  it('leet digits and symbols', () => {
    expect(tokenize('FR33 C@SH PR1ZE!!!')).toEqual(['free', 'cash', 'prize']);
  });
  it('spaced-out letters, a double space separating words', () => {
    expect(tokenize('f r e e  m o n e y')).toEqual(tokenize('free money'));
    expect(tokenize('F.R.E.E  c-a-s-h')).toEqual(tokenize('free cash'));
    // Single separators throughout read as one word: the char 3-grams still carry it.
    expect(tokenize('F.R.E.E c-a-s-h')).toEqual(['freecash']);
  });
  it('Cyrillic and Greek look-alikes, zero-width joiners, full-width and bold letters', () => {
    expect(normalizeText('Сlаim yоur frее рrizе')).toBe('claim your free prize');
    expect(normalizeText('ΡRΙΖΕ')).toBe('prize');
    expect(normalizeText('fr\u200bee')).toBe('free');
    expect(normalizeText('ｆｒｅｅ 𝐜𝐚𝐬𝐡')).toBe('free cash');
  });
  it('phone numbers and URLs become tokens, keeping the number prefix', () => {
    expect(tokenize('call 0800 123 4567 or +44 7700-900123')).toEqual([
      'call',
      'tokphone08',
      'tokphone44',
    ]);
    expect(tokenize('https://x.example/win')[0]).toBe('tokurl');
  });
  it('keeps SMS money/short-code tokens intact (no false leet decoding)', () => {
    expect(tokenize('150p per msg, text WIN to 87121')).toEqual([
      '150p',
      'per',
      'msg',
      'text',
      'win',
      'tokshort',
    ]);
  });
  it('obfuscated and plain spellings score the same', () => {
    expect(score('FR33 C@SH PR1ZE!!! call 0800 123 4567')).toBe(
      score('free cash prize call 08001234567'),
    );
    expect(score('Сlаim yоur frее рrizе')).toBe(score('claim your free prize'));
    expect(score('f r e e  m o n e y')).toBe(score('free money'));
  });
});

describe('shipped model decisions', () => {
  it('flags obfuscated prize spam', () => {
    expect(flagged('FR33 C@SH PR1ZE!!! call 0800 123 4567')).toBe(true);
    expect(flagged('Сlаim yоur frее рrizе')).toBe(true);
    expect(flagged('f r e e  m o n e y, text WIN to 87121 now')).toBe(true);
  });
  it('treats the bare two words "f r e e  m o n e y" as weak evidence', () => {
    // Two words are weak evidence: not flagged by default, yet more suspicious than ordinary chat.
    // (Whether 'high' flags it depends on the model: it sits at that threshold, where float32 and
    // int8 rounding may disagree, so no decision at 'high' is pinned here.)
    expect(flagged('f r e e  m o n e y')).toBe(false);
    expect(score('f r e e  m o n e y')).toBeGreaterThan(score('can you call me when you get home'));
    expect(score('f r e e  m o n e y')).toBeGreaterThan(
      score('are we still on for lunch tomorrow?'),
    );
  });
  it('does not flag ordinary chat', () => {
    for (const t of [
      'are we still on for lunch tomorrow?',
      'ok see you at 7, bring the charger pls',
      'Happy birthday!! hope you have a great day',
      'can you call me when you get home',
    ]) {
      expect(flagged(t, 'high')).toBe(false);
    }
  });
});
