/**
 * Browser side of bench/inference.ts: starts the real inference worker through Comlink and times
 * it (onnxruntime-web, both variants), the plain-JS evaluator on this page as a baseline, and the
 * main thread's long tasks while 1,000 messages are screened.
 */
import * as Comlink from 'comlink';
import type { InferenceApi } from '../workers/inference/api.ts';
import { featurize } from '../workers/inference/featurize.ts';
import { scoreFloat, scoreInt8 } from '../workers/inference/js-model.ts';
import type { Variant } from '../workers/inference/model-card.ts';
import { floatWeights, int8Weights } from '../workers/inference/onnx-weights.ts';
import { BENCH_SHAPE, measure, uniqueTexts } from './inference-measure.ts';
import type { Figures } from './inference-measure.ts';

export interface PageResult {
  crossOriginIsolated: boolean;
  firstSessionMs: number;
  web: Record<Variant, Figures>;
  js: Record<Variant, Figures>;
  longTasks: { count: number; maxMs: number; screenedMs: number; flagged: number };
}

async function run(texts: string[]): Promise<PageResult> {
  const worker = new Worker(new URL('../workers/inference/index.ts', import.meta.url), {
    type: 'module',
  });
  const api = Comlink.wrap<InferenceApi>(worker);
  const t0 = performance.now();
  await api.warmup({ variant: 'int8' });
  const firstSessionMs = performance.now() - t0;
  await api.warmup({ variant: 'float32' });

  const web = {} as Record<Variant, Figures>;
  for (const variant of ['int8', 'float32'] as const) {
    web[variant] = await measure(
      (b) =>
        api.classify(
          b.map((text, i) => ({ id: String(i), text })),
          { variant },
        ),
      texts,
      BENCH_SHAPE,
    );
  }

  const bytes = async (p: string): Promise<Uint8Array> =>
    new Uint8Array(await (await fetch(p)).arrayBuffer());
  const wf = floatWeights(await bytes('/models/spam-float32.onnx'));
  const wq = int8Weights(await bytes('/models/spam-int8.onnx'));
  const js = {
    int8: await measure(async (b) => b.map((t) => scoreInt8(featurize(t), wq)), texts, BENCH_SHAPE),
    float32: await measure(
      async (b) => b.map((t) => scoreFloat(featurize(t), wf)),
      texts,
      BENCH_SHAPE,
    ),
  };

  // 1,000 messages arriving one by one (the UI's worst case: 1,000 calls, 1,000 replies).
  // Yield first: the JS baseline above ran as one long main-thread task (its awaits are
  // microtasks) and must end before the observer starts, or it would be counted here.
  await new Promise((r) => setTimeout(r, 200));
  const entries: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((l) => entries.push(...l.getEntries()));
  obs.observe({ type: 'longtask', buffered: false });
  const take = uniqueTexts(texts.map((t) => `${t} lt`));
  const s = performance.now();
  const results = await Promise.all(
    take(1000).map((text, i) => api.classify([{ id: String(i), text }])),
  );
  const screenedMs = performance.now() - s;
  await new Promise((r) => setTimeout(r, 100)); // let the observer deliver
  obs.disconnect();
  const flagged = results.filter((r) => r[0]?.flagged).length;
  worker.terminate();
  return {
    crossOriginIsolated: self.crossOriginIsolated,
    firstSessionMs,
    web,
    js,
    longTasks: {
      count: entries.length,
      maxMs: Math.max(0, ...entries.map((e) => e.duration)),
      screenedMs,
      flagged,
    },
  };
}

(window as unknown as { runInferenceBench: typeof run }).runInferenceBench = run;
