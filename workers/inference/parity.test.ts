/**
 * Parity: the shipped ONNX files, run by onnxruntime-node, against the plain-JS reference on the
 * held-out test split (same dedupe + split as training; no retraining). Also: a message's score is
 * bit-identical alone and inside a batch of 256 (fixed-scale quantisation, fixed input width).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { dedupe, loadSms, split } from '../../scripts/train/data.ts';
import { TRAINING } from '../../scripts/train/config.ts';
import { packBatch } from './batch.ts';
import { ortFeeds } from './engine.ts';
import type { SparseFeatures } from './featurize.ts';
import { scoreFloat, scoreInt8 } from './js-model.ts';
import { floatWeights, int8Weights } from './onnx-weights.ts';

const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;
const modelPath = (name: string): string =>
  new URL(`../../public/models/${name}`, import.meta.url).pathname;

async function runOrt(
  session: Ort.InferenceSession,
  xs: readonly SparseFeatures[],
): Promise<Float32Array> {
  const out = new Float32Array(xs.length);
  for (let start = 0; start < xs.length; start += 256) {
    const b = packBatch(xs.slice(start, start + 256));
    const res = await session.run(ortFeeds(ort, b) as Ort.InferenceSession.FeedsType);
    out.set(res.score!.data as Float32Array, start);
  }
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('ONNX (onnxruntime-node) vs JS reference on the held-out split', () => {
  let test: SparseFeatures[] = [];
  let f32: Ort.InferenceSession;
  let i8: Ort.InferenceSession;
  beforeAll(async () => {
    test = split(dedupe(loadSms()).examples, TRAINING.splitSeed).test.map((e) => e.features);
    f32 = await ort.InferenceSession.create(modelPath('spam-float32.onnx'));
    i8 = await ort.InferenceSession.create(modelPath('spam-int8.onnx'));
  });

  it('float32 matches to < 1e-5', async () => {
    const w = floatWeights(readFileSync(modelPath('spam-float32.onnx')));
    const js = test.map((x) => scoreFloat(x, w));
    const diff = maxAbsDiff(await runOrt(f32, test), js);
    console.log(
      `float32 parity on ${test.length} held-out messages: max |onnx − js| = ${diff.toExponential(2)}`,
    );
    expect(diff).toBeLessThan(1e-5);
  });

  it('int8 matches its JS emulation to < 1e-4', async () => {
    const w = int8Weights(readFileSync(modelPath('spam-int8.onnx')));
    const js = test.map((x) => scoreInt8(x, w));
    const diff = maxAbsDiff(await runOrt(i8, test), js);
    console.log(
      `int8 parity on ${test.length} held-out messages: max |onnx − js emulation| = ${diff.toExponential(2)}`,
    );
    expect(diff).toBeLessThan(1e-4);
  });

  it('int8 and float32 scores stay close', async () => {
    const diff = maxAbsDiff(await runOrt(i8, test), await runOrt(f32, test));
    console.log(
      `int8 vs float32 on ${test.length} held-out messages: max |Δscore| = ${diff.toExponential(2)}`,
    );
    expect(diff).toBeLessThan(0.05);
  });

  it.each([['int8'], ['float32']] as const)(
    '%s score is identical alone and in a batch of 256',
    async (variant) => {
      const session = variant === 'int8' ? i8 : f32;
      const batch = test.slice(0, 256);
      const together = await runOrt(session, batch);
      for (const i of [0, 1, 17, 128, 255]) {
        const alone = await runOrt(session, [batch[i] as SparseFeatures]);
        expect(alone[0]).toBe(together[i]);
      }
    },
  );
});
