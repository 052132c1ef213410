/**
 * Measurement shared by the Node side and the browser page of the inference bench, so both time
 * exactly the same work: `classify(texts)` resolving with one score per text. Every text is used
 * once (a suffix makes repeats unique), so no result comes from the worker's cache.
 */
export interface Figures {
  /** One message per call, awaited one after another: ms per call. */
  readonly singleP50Ms: number;
  readonly singleP99Ms: number;
  /** Per batch size: median ms per message (call time / batch size) and messages per second. */
  readonly batches: Record<number, { readonly perMsgP50Ms: number; readonly msgsPerSec: number }>;
}

export type Classify = (texts: string[]) => Promise<unknown>;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
};

export function uniqueTexts(base: readonly string[]): (count: number) => string[] {
  let next = 0;
  return (count) =>
    Array.from({ length: count }, () => {
      const i = next++;
      const round = Math.floor(i / base.length);
      return `${base[i % base.length] as string}${round > 0 ? ` v${round}` : ''}`;
    });
}

export async function measure(
  classify: Classify,
  base: readonly string[],
  opts: { singles: number; messagesPerBatchSize: number; batchSizes: readonly number[] },
): Promise<Figures> {
  const take = uniqueTexts(base);
  for (let i = 0; i < 30; i++) await classify(take(8)); // warm-up: JIT, allocations, sessions
  const singles: number[] = [];
  for (let i = 0; i < opts.singles; i++) {
    const [t] = take(1);
    const t0 = performance.now();
    await classify([t as string]);
    singles.push(performance.now() - t0);
  }
  const batches: Figures['batches'] = {};
  for (const b of opts.batchSizes) {
    const calls = Math.max(5, Math.ceil(opts.messagesPerBatchSize / b));
    const per: number[] = [];
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) {
      const texts = take(b);
      const s = performance.now();
      await classify(texts);
      per.push((performance.now() - s) / b);
    }
    const total = performance.now() - t0;
    batches[b] = { perMsgP50Ms: percentile(per, 0.5), msgsPerSec: (calls * b * 1000) / total };
  }
  return { singleP50Ms: percentile(singles, 0.5), singleP99Ms: percentile(singles, 0.99), batches };
}

export const BENCH_SHAPE = {
  singles: 400,
  messagesPerBatchSize: 4096,
  batchSizes: [1, 32, 256],
} as const;
