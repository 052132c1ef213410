/**
 * The worker API over onnxruntime-node (same engine code as in the browser, another ORT flavour):
 * micro-batching, the LRU cache, cancellation, scores equal to the JS reference.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { isMeshError } from '../../src/protocol/errors.ts';
import { createInferenceApi } from './api.ts';
import { createOrtEngine } from './engine.ts';
import type { OrtLike } from './engine.ts';
import { featurize } from './featurize.ts';
import { scoreInt8 } from './js-model.ts';
import { parseModelCard } from './model-card.ts';
import { int8Weights } from './onnx-weights.ts';

const publicFile = (path: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../public${path}`, import.meta.url)));
const source = {
  card: async () =>
    parseModelCard(JSON.parse(new TextDecoder().decode(publicFile('/models/spam-model.json')))),
  bytes: async (path: string) => publicFile(path),
};
const ort = createRequire(import.meta.url)('onnxruntime-node') as OrtLike;

function make(batchWindowMs = 0) {
  const engine = createOrtEngine(async () => ort, source);
  const spy = vi.spyOn(engine, 'score');
  return {
    api: createInferenceApi({ engine, card: source.card, batchWindowMs, cacheSize: 100 }),
    spy,
  };
}

describe('InferenceApi', () => {
  it('scores like the JS reference and flags spam', async () => {
    const { api } = make();
    const texts = ['FR33 C@SH PR1ZE!!! call 0800 123 4567', 'are we still on for lunch tomorrow?'];
    const res = await api.classify(texts.map((text, i) => ({ id: `m${i}`, text })));
    const w = int8Weights(publicFile('/models/spam-int8.onnx'));
    expect(res.map((r) => r.id)).toEqual(['m0', 'm1']);
    res.forEach((r, i) =>
      expect(Math.abs(r.spamScore - scoreInt8(featurize(texts[i] as string), w))).toBeLessThan(
        1e-6,
      ),
    );
    expect(res.map((r) => r.flagged)).toEqual([true, false]);
  });

  it('batches calls that arrive together into one run, and caches by message', async () => {
    const { api, spy } = make();
    await api.warmup();
    const calls = Array.from({ length: 10 }, (_, i) =>
      api.classify([{ id: String(i), text: `hello number ${i}` }]),
    );
    await Promise.all(calls);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[1].n).toBe(10);
    await api.classify([{ id: 'again', text: 'hello number 3' }]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect((await api.info()).runtime).toMatchObject({ runs: 1, messagesScored: 10 });
  });

  it('splits large requests into runs of at most 256', async () => {
    const { api, spy } = make();
    await api.classify(
      Array.from({ length: 600 }, (_, i) => ({ id: String(i), text: `msg ${i} words` })),
    );
    expect(spy.mock.calls.map((c) => c[1].n)).toEqual([256, 256, 88]);
  });

  it('cancel(requestId) rejects a queued request with MeshError aborted', async () => {
    const { api, spy } = make(20);
    await api.warmup();
    const p = api.classify([{ id: 'x', text: 'to be cancelled' }], { requestId: 'r1' });
    const other = api.classify([{ id: 'y', text: 'keep me' }]);
    await new Promise((r) => setTimeout(r, 0));
    api.cancel('r1');
    await expect(p).rejects.toSatisfy((e) => isMeshError(e, 'aborted'));
    expect((await other)[0]?.id).toBe('y');
    expect(spy.mock.calls[0]?.[1].n).toBe(1);
  });

  it('float32 and int8 variants are both available', async () => {
    const { api } = make();
    const [a] = await api.classify([{ id: 'a', text: 'win a free prize now' }], {
      variant: 'float32',
    });
    const [b] = await api.classify([{ id: 'a', text: 'win a free prize now' }], {
      variant: 'int8',
    });
    expect(Math.abs((a?.spamScore ?? 0) - (b?.spamScore ?? 1))).toBeLessThan(0.01);
  });
});
