/** The worker refuses a model card it cannot use, with a typed error, instead of scoring garbage. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MeshError } from '../../src/protocol/errors.ts';
import { parseModelCard } from './model-card.ts';

const shipped = JSON.parse(
  readFileSync(new URL('../../public/models/spam-model.json', import.meta.url), 'utf8'),
) as { featurizer: Record<string, unknown> };

describe('parseModelCard', () => {
  it('accepts the shipped card', () => {
    expect(parseModelCard(shipped).featurizer.maxWords).toBe(64);
  });
  it.each([
    ['null', null],
    ['no files', { ...shipped, files: undefined }],
    ['no word input width', { ...shipped, featurizer: { ...shipped.featurizer, maxWords: '64' } }],
    [
      'another featuriser',
      { ...shipped, featurizer: { ...shipped.featurizer, version: 'km-spam-feat-1' } },
    ],
  ])('rejects %s', (_name, card) => {
    expect(() => parseModelCard(card)).toThrow(MeshError);
  });
});
