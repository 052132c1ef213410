/**
 * Message-screening benchmark: onnxruntime-node vs plain JS in Node, then onnxruntime-web in the
 * real inference worker through Comlink in Chromium (plus plain JS on the page and main-thread long
 * tasks while 1,000 messages are screened). Prints ratios web/node and web/JS.
 *
 * Run inside a loopback-only network namespace (RECIPES.md):
 *   unshare -n sh -c 'ip link set lo up && exec npx tsx bench/inference.ts'
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '../scripts/chromium.ts';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { dedupe, loadSms, split } from '../scripts/train/data.ts';
import { TRAINING } from '../scripts/train/config.ts';
import { createInferenceApi } from '../workers/inference/api.ts';
import { createOrtEngine } from '../workers/inference/engine.ts';
import type { OrtLike } from '../workers/inference/engine.ts';
import { featurize } from '../workers/inference/featurize.ts';
import { scoreFloat, scoreInt8 } from '../workers/inference/js-model.ts';
import { parseModelCard } from '../workers/inference/model-card.ts';
import type { Variant } from '../workers/inference/model-card.ts';
import { floatWeights, int8Weights } from '../workers/inference/onnx-weights.ts';
import { BENCH_SHAPE, measure } from './inference-measure.ts';
import type { Figures } from './inference-measure.ts';
import type { PageResult } from './inference-page.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const publicFile = (p: string): Uint8Array =>
  new Uint8Array(readFileSync(resolve(root, `public${p}`)));
const VARIANTS: readonly Variant[] = ['int8', 'float32'];
const texts = split(dedupe(loadSms()).examples, TRAINING.splitSeed).test.map((e) => e.text);

// ---- Node: onnxruntime-node through the same InferenceApi as the worker, and plain JS ----
const ort = createRequire(import.meta.url)('onnxruntime-node') as OrtLike;
const source = {
  card: async () =>
    parseModelCard(JSON.parse(new TextDecoder().decode(publicFile('/models/spam-model.json')))),
  bytes: async (p: string) => publicFile(p),
};
const api = createInferenceApi({
  engine: createOrtEngine(async () => ort, source),
  card: source.card,
});
const wf = floatWeights(publicFile('/models/spam-float32.onnx'));
const wq = int8Weights(publicFile('/models/spam-int8.onnx'));
const node = {} as Record<Variant, Figures>;
const nodeJs = {} as Record<Variant, Figures>;
for (const variant of VARIANTS) {
  node[variant] = await measure(
    (b) =>
      api.classify(
        b.map((text, i) => ({ id: String(i), text })),
        { variant },
      ),
    texts,
    BENCH_SHAPE,
  );
  const score =
    variant === 'int8'
      ? (t: string) => scoreInt8(featurize(t), wq)
      : (t: string) => scoreFloat(featurize(t), wf);
  nodeJs[variant] = await measure(async (b) => b.map(score), texts, BENCH_SHAPE);
}
const f0 = performance.now();
for (const t of texts) featurize(`${t} x`);
const featurizeUs = ((performance.now() - f0) * 1000) / texts.length;

// ---- Chromium: the worker through Comlink ----
const server = await createServer({
  root,
  configFile: resolve(root, 'vite.config.ts'),
  logLevel: 'warn',
  server: { host: '127.0.0.1', port: 0, hmr: false },
  // Pre-bundle up front: a mid-run dependency discovery would reload the page. ORT stays out of
  // pre-bundling (it locates its wasm relative to itself; we pass explicit URLs anyway).
  optimizeDeps: {
    entries: ['bench/inference.html'],
    include: ['comlink', 'stemmer'],
    exclude: ['onnxruntime-web'],
  },
});
await server.listen();
const addr = server.httpServer?.address();
const port = typeof addr === 'object' && addr ? addr.port : 0;
const browser = await chromium.launch(chromiumLaunchOptions());
let web: PageResult;
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      console.log(`[page ${m.type()}] ${m.text()}`);
  });
  await page.goto(`http://127.0.0.1:${port}/bench/inference.html`);
  await page.waitForFunction(() => 'runInferenceBench' in window, undefined, { timeout: 60_000 });
  web = await page.evaluate(
    (t) =>
      (
        window as unknown as { runInferenceBench: (t: string[]) => Promise<PageResult> }
      ).runInferenceBench(t),
    texts,
  );
} finally {
  await browser.close();
  await server.close();
}

// ---- Report ----
const ms = (x: number): string => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
const row = (name: string, f: Figures): string =>
  `${name.padEnd(26)} single p50 ${ms(f.singleP50Ms).padStart(9)} p99 ${ms(f.singleP99Ms).padStart(9)} | ` +
  BENCH_SHAPE.batchSizes
    .map(
      (b) =>
        `b${b}: ${ms(f.batches[b]!.perMsgP50Ms)}/msg ${Math.round(f.batches[b]!.msgsPerSec)}/s`,
    )
    .join(' | ');
console.log(
  `\nmessages: ${texts.length} held-out SMS texts (made unique per call: no cache hits); featurise ≈ ${featurizeUs.toFixed(1)} µs/msg in Node`,
);
console.log(
  `Chromium: crossOriginIsolated=${web.crossOriginIsolated}, first session (fetch + wasm compile + model) ${ms(web.firstSessionMs)}`,
);
for (const v of VARIANTS) {
  console.log(`\n[${v}]`);
  console.log(row('node onnxruntime-node', node[v]));
  console.log(row('node plain JS', nodeJs[v]));
  console.log(row('web ort-web via Comlink', web.web[v]));
  console.log(row('web plain JS (page)', web.js[v]));
  const ratio = (a: Figures, b: Figures, k: number): string =>
    (a.batches[k]!.perMsgP50Ms / b.batches[k]!.perMsgP50Ms).toFixed(2);
  console.log(
    `ratios per message (lower is better for web): ` +
      BENCH_SHAPE.batchSizes
        .map(
          (b) =>
            `b${b} web/node ${ratio(web.web[v], node[v], b)}×, web/JS ${ratio(web.web[v], web.js[v], b)}×`,
        )
        .join(' | ') +
      ` | single web/node ${(web.web[v].singleP50Ms / node[v].singleP50Ms).toFixed(2)}×`,
  );
}
const lt = web.longTasks;
console.log(
  `\nlong tasks on the main thread while screening 1,000 messages (1,000 calls, ${ms(lt.screenedMs)} total, ${lt.flagged} flagged): ${lt.count}, longest ${ms(lt.maxMs)}`,
);
const b256 = web.web.int8.batches[256]!.perMsgP50Ms;
const vsNode = b256 / node.int8.batches[256]!.perMsgP50Ms;
const checks = [
  [`web int8 batched p50 < 1 ms/msg (${ms(b256)})`, b256 < 1],
  [`web int8 batched within 3× of onnxruntime-node (${vsNode.toFixed(2)}×)`, vsNode <= 3],
  [
    `no main-thread task over 50 ms (${lt.count} long tasks, longest ${ms(lt.maxMs)})`,
    lt.maxMs <= 50,
  ],
] as const;
for (const [label, okay] of checks) console.log(`${okay ? 'PASS' : 'FAIL'} ${label}`);
process.exit(checks.every(([, okay]) => okay) ? 0 : 1);
