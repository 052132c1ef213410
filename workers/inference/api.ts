/**
 * The inference worker's API (plain data in and out; index.ts only exposes it through Comlink).
 *
 * - Micro-batching: messages from classify() calls that arrive together (same task, or within
 *   `batchWindowMs`) are scored by one model run of up to `maxBatch` messages.
 * - Cache: scores are kept per (variant, message hash) in a bounded LRU, so a message relayed to
 *   us twice, or re-rendered, is not scored twice.
 * - Cancellation: Comlink cannot transfer an AbortSignal, so a caller passes `requestId` and calls
 *   `cancel(requestId)`; the pending classify() rejects with MeshError('aborted') and its messages
 *   leave the queue if they have not been run yet. (A caller-side helper can wire an AbortSignal
 *   to cancel().)
 */
import { MeshError } from '../../src/protocol/errors.ts';
import { packBatch } from './batch.ts';
import type { Engine } from './engine.ts';
import { featurize, hashString } from './featurize.ts';
import type { SparseFeatures } from './featurize.ts';
import { LruCache } from './lru.ts';
import type { ModelCard, Strictness, Variant } from './model-card.ts';

export interface ClassifyItem {
  readonly id: string;
  readonly text: string;
}
export interface ClassifyOptions {
  /** Default 'int8' (4× smaller download, same decisions on the held-out split). */
  readonly variant?: Variant;
  /** Threshold used for `flagged`; default from the model card ('medium'). */
  readonly strictness?: Strictness;
  /** Lets the caller cancel this call with cancel(requestId). */
  readonly requestId?: string;
}
export interface ClassifyResult {
  readonly id: string;
  /** Probability-like score in [0, 1]; higher is spammier. */
  readonly spamScore: number;
  readonly flagged: boolean;
}
export interface InferenceInfo {
  readonly card: ModelCard;
  readonly runtime: {
    readonly cacheSize: number;
    readonly runs: number;
    readonly messagesScored: number;
  };
}

export interface InferenceApi {
  classify(items: readonly ClassifyItem[], opts?: ClassifyOptions): Promise<ClassifyResult[]>;
  cancel(requestId: string): void;
  /** Loads the card and creates the session now (otherwise the first classify does it). */
  warmup(opts?: { readonly variant?: Variant }): Promise<void>;
  info(): Promise<InferenceInfo>;
}

export interface InferenceOptions {
  readonly engine: Engine;
  readonly card: () => Promise<ModelCard>;
  readonly maxBatch?: number;
  /** 0 = flush after the current task's microtasks; > 0 also gathers calls from later tasks. */
  readonly batchWindowMs?: number;
  readonly cacheSize?: number;
}

interface Pending {
  readonly features: SparseFeatures;
  readonly key: string;
  readonly variant: Variant;
  readonly requestId: string | undefined;
  readonly resolve: (score: number) => void;
  readonly reject: (e: unknown) => void;
}

/** Two differently seeded 32-bit hashes: collisions among cached messages are negligible. */
const messageKey = (variant: Variant, text: string): string =>
  `${variant}:${hashString(text).toString(36)}:${hashString(text, 0x9747b28c).toString(36)}:${text.length}`;

export function createInferenceApi(o: InferenceOptions): InferenceApi {
  const maxBatch = o.maxBatch ?? 256;
  const cache = new LruCache<string, number>(o.cacheSize ?? 10_000);
  let queue: Pending[] = [];
  let scheduled = false;
  const cancelled = new Set<string>();
  const stats = { runs: 0, messagesScored: 0 };
  let cardPromise: Promise<ModelCard> | undefined;
  const card = (): Promise<ModelCard> => {
    cardPromise ??= o.card();
    cardPromise.catch(() => (cardPromise = undefined));
    return cardPromise;
  };

  async function runChunk(variant: Variant, chunk: Pending[]): Promise<void> {
    try {
      const scores = await o.engine.score(variant, packBatch(chunk.map((p) => p.features)));
      stats.runs++;
      stats.messagesScored += chunk.length;
      chunk.forEach((p, i) => {
        const s = scores[i] as number;
        cache.set(p.key, s);
        p.resolve(s);
      });
    } catch (e) {
      for (const p of chunk) p.reject(e);
    }
  }

  function flush(): void {
    scheduled = false;
    const todo = queue;
    queue = [];
    for (const variant of ['int8', 'float32'] as const) {
      const mine = todo.filter((p) => p.variant === variant);
      for (let i = 0; i < mine.length; i += maxBatch)
        void runChunk(variant, mine.slice(i, i + maxBatch));
    }
  }

  function enqueue(p: Pending): void {
    queue.push(p);
    if (scheduled) return;
    scheduled = true;
    if ((o.batchWindowMs ?? 0) > 0) setTimeout(flush, o.batchWindowMs);
    else queueMicrotask(flush);
  }

  return {
    async classify(items, opts = {}) {
      const variant = opts.variant ?? 'int8';
      const requestId = opts.requestId;
      const c = await card();
      const threshold = c.thresholds[opts.strictness ?? c.defaultStrictness];
      if (requestId !== undefined && cancelled.delete(requestId))
        throw new MeshError('aborted', `request ${requestId} cancelled`);
      const scores = await Promise.all(
        items.map((item) => {
          const key = messageKey(variant, item.text);
          const hit = cache.get(key);
          if (hit !== undefined) return hit;
          return new Promise<number>((resolve, reject) =>
            enqueue({ features: featurize(item.text), key, variant, requestId, resolve, reject }),
          );
        }),
      );
      return items.map((item, i) => ({
        id: item.id,
        spamScore: scores[i] as number,
        flagged: (scores[i] as number) >= threshold,
      }));
    },

    cancel(requestId) {
      const mine = queue.filter((p) => p.requestId === requestId);
      queue = queue.filter((p) => p.requestId !== requestId);
      const err = new MeshError('aborted', `request ${requestId} cancelled`);
      for (const p of mine) p.reject(err);
      // Not yet queued (still awaiting the card): remember, so classify() rejects when it gets there.
      // Bounded: stale ids of requests that already finished must not pile up.
      if (mine.length === 0) {
        cancelled.add(requestId);
        if (cancelled.size > 1000) cancelled.delete(cancelled.values().next().value as string);
      }
    },

    async warmup(opts = {}) {
      await card();
      await o.engine.ready(opts.variant ?? 'int8');
    },

    async info() {
      return { card: await card(), runtime: { cacheSize: cache.size, ...stats } };
    },
  };
}
