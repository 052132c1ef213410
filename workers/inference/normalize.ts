/**
 * Text → canonical tokens. Spam is written to dodge filters (`FR33 C@SH`, `f r e e`, Cyrillic
 * look-alikes, phone numbers with spaces), so everything here maps those spellings back onto the
 * plain form the model was trained on. The same function runs on the training corpus (whose SMS
 * part is already lowercased, stop-word-filtered, Porter-stemmed tokens) and on raw chat text; every
 * step is chosen so both land on the same tokens (see stemFixpoint).
 */
import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stopwords.ts';

/** Look-alike letters (Cyrillic, Greek, others NFKC keeps) → the Latin letter they imitate. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ь: 'b',
  п: 'n',
  г: 'r',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  Ԛ: 'Q',
  Ԝ: 'W',
  Һ: 'H',
  Ӏ: 'I',
  Ь: 'b',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  ı: 'i',
  ɡ: 'g',
  ɑ: 'a',
  ᴏ: 'o',
  ꮪ: 's',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

/** Leet digits/symbols inside words: `fr33` → `free`, `c@sh` → `cash`, `pr1ze` → `prize`. */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** Longer texts (e-mails) are cut: chat messages are short and the model input width is fixed. */
export const MAX_CHARS = 2000;

// Combining marks (e.g. U+034F) need no entry: MARKS_RE strips them.
const INVISIBLE_RE =
  /[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/gu;
const MARKS_RE = /\p{M}+/gu;
const EMAIL_RE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// A phone number written with separators (`0800 123 4567`, `+44-7700-900123`) becomes one digit
// run, so the token rule below sees its length; 7+ digits total.
const SPACED_DIGITS_RE = /\+?\d(?:[ \-.()]{0,2}\d){6,}/gu;
// Three or more single characters separated by single separators (`f r e e`, `F.R.E.E`) are one
// word; a double space still separates words (`f r e e  m o n e y` → `free money`).
const SPACED_WORD_RE =
  /(?<![\p{L}\p{N}@$])[\p{L}\p{N}@$](?:[ .\-_*][\p{L}\p{N}@$]){2,}(?![\p{L}\p{N}@$])/gu;
const REPEAT_RE = /(\p{L})\1{2,}/gu;
const TOKEN_RE = /[\p{L}\p{N}@$]+/gu;

/** Canonical string form: look-alikes folded, accents stripped, lowercase, obfuscation undone. */
export function normalizeText(raw: string): string {
  let s = raw.slice(0, MAX_CHARS).normalize('NFKC').replace(INVISIBLE_RE, '');
  s = s.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c);
  s = s.normalize('NFD').replace(MARKS_RE, '').toLowerCase();
  s = s.replace(EMAIL_RE, ' tokemail ');
  s = s.replace(SPACED_DIGITS_RE, (m) => m.replace(/[^\d]/g, ''));
  s = s.replace(SPACED_WORD_RE, (m) => m.replace(/[ .\-_*]/g, ''));
  return s.replace(REPEAT_RE, '$1$1');
}

/**
 * Porter stemming repeated until it stops changing. The SMS corpus holds stems, and `stemmer` is
 * not idempotent on them (`promis` → `promi`); iterating makes stem(raw) and stem(stored stem)
 * meet at the same fixpoint, so one code path serves raw text and the stored corpus.
 */
const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 50_000;
export function stemFixpoint(word: string): string {
  const hit = stemCache.get(word);
  if (hit !== undefined) return hit;
  let a = word;
  for (let i = 0; i < 8; i++) {
    const b = stemmer(a);
    if (b === a) break;
    a = b;
  }
  // Bounded: a flood of unique junk words must not grow memory without limit.
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(word, a);
  return a;
}

const STOP_STEMS: ReadonlySet<string> = new Set([...STOP_WORDS].map(stemFixpoint));

function decodeLeet(tok: string): string {
  let letters = 0;
  let leet = 0;
  for (const ch of tok) {
    if (ch >= 'a' && ch <= 'z') letters++;
    else if (LEET[ch] !== undefined) leet++;
  }
  // Only words that are mostly letters: keeps `150p`, `kl341`, `2005` as they are.
  if (letters === 0 || leet === 0 || letters < leet) return tok;
  let out = '';
  for (const ch of tok) out += LEET[ch] ?? ch;
  return /^[a-z]+$/.test(out) ? out : tok;
}

function longestDigitRun(tok: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    run = c >= 48 && c <= 57 ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** One raw token → zero or more canonical tokens (URLs, numbers, leet and stems resolved). */
function canonical(raw: string, out: string[]): void {
  const tok = decodeLeet(raw);
  // Symbols that did not decode split the token (`a@b`), like the corpus' \W+ tokenizer did.
  for (const part of tok.split(/[@$]+/)) {
    if (part.length < 2 || STOP_WORDS.has(part)) continue;
    const run = longestDigitRun(part);
    // Phone numbers keep their first two digits: premium-rate (09…, 08…) and mobile (07…) numbers
    // mean different things, the exact number means nothing.
    if (run >= 7) out.push(`tokphone${/\d\d/.exec(part)?.[0] ?? ''}`);
    else if (run >= 5) out.push('tokshort');
    else if (part === 'http' || part === 'https' || part === 'www') out.push('tokurl');
    else if (/^\p{N}+$/u.test(part)) out.push(part);
    else {
      const stem = stemFixpoint(part);
      if (stem.length >= 2 && !STOP_STEMS.has(stem)) out.push(stem);
    }
  }
}

/** Canonical tokens of a text, in order, at most `maxTokens`. */
export function tokenize(raw: string, maxTokens = 256): string[] {
  const out: string[] = [];
  for (const m of normalizeText(raw).matchAll(TOKEN_RE)) {
    const t = m[0].replace(/^[@$]+|[@$]+$/g, '');
    if (t.length > 0) canonical(t, out);
    if (out.length >= maxTokens) break;
  }
  return out.slice(0, maxTokens);
}
