/**
 * `npm run golden`: rewrites workers/inference/featurize.golden.json from the current featuriser.
 * Only for a deliberate featuriser change (bump FEATURIZER_VERSION and retrain with it); the golden
 * test exists to catch the accidental ones.
 */
import { writeFileSync } from 'node:fs';
import { featurize } from '../../workers/inference/featurize.ts';
import { GOLDEN_TEXTS } from '../../workers/inference/featurize.golden-texts.ts';
import { tokenize } from '../../workers/inference/normalize.ts';

const golden = GOLDEN_TEXTS.map((text) => {
  const f = featurize(text);
  return {
    text,
    tokens: tokenize(text),
    indices: Array.from(f.indices),
    values: Array.from(f.values),
    words: Array.from(f.words),
  };
});
const path = new URL('../../workers/inference/featurize.golden.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(golden, null, 2)}\n`);
console.log(`wrote ${golden.length} golden vectors to ${path.pathname}`);
