/**
 * The storage bench worker's contract (plain data in and out, as every worker API here). The
 * page wraps the worker with Comlink; the Node driver calls it through `page.evaluate`, so each
 * result must also survive Playwright's serialisation: numbers, strings, booleans, arrays.
 */

/** Timed runs of one case; samples in ms, in run order (warm-up runs excluded). */
export type Samples = number[];

export interface BenchEnv {
  crossOriginIsolated: boolean;
  userAgent: string;
  /** Smallest non-zero step of performance.now() seen in the worker, in ms. */
  timerStepMs: number;
}

export interface RunPlan {
  /** Messages per run. */
  size: number;
  /** Timed runs (the median is reported). */
  runs: number;
  /** Untimed runs first, so both sides reach their optimised JIT tiers and warm IndexedDB. */
  warmup: number;
}

export interface BatchWriteResult {
  /** createMessageStore(db).appendMany: one transaction, `add` per message. */
  ours: Samples;
  /** Plain IndexedDB: one readwrite transaction, `put` per record, same store shape. */
  raw: Samples;
  /** Plain IndexedDB, one transaction, `add` with a handler per request (explains any gap). */
  rawAdd: Samples;
  /** Every record of the last timed run landed, on every side. */
  countsOk: boolean;
}

export interface SingleWriteResult {
  /** appendMany of the whole batch (reference). */
  batch: Samples;
  /** `await append(m)` for each message: one transaction per message. */
  oursLoop: Samples;
  /** Plain IndexedDB, one transaction per `put`, awaited one after another. */
  rawLoop: Samples;
}

export interface PagePlan {
  total: number;
  /** appendMany chunk size while filling. */
  chunk: number;
  /** Filling stops early (and says so) past this many ms. */
  fillBudgetMs: number;
  limit: number;
  pageRuns: number;
  scanRuns: number;
}

export interface PageResult {
  stored: number;
  fillMs: number;
  conversation: string;
  conversationSize: number;
  /** The first page() after filling, untimed by the median (a user's first open). */
  firstPageMs: number;
  /** store.page(conversation, { limit }) */
  page: Samples;
  /** getAll() of every message + filter + sort + slice. */
  fullScan: Samples;
  /** getAll() over the conversation's index range + slice (a smarter naive baseline). */
  indexGetAll: Samples;
  /** All three methods returned the same msgIds in the same order. */
  sameResult: boolean;
}

export interface StorageBenchApi {
  env(): Promise<BenchEnv>;
  batchWrites(plan: RunPlan): Promise<BatchWriteResult>;
  singleWrites(plan: RunPlan): Promise<SingleWriteResult>;
  newestPage(plan: PagePlan): Promise<PageResult>;
  /** Closes and deletes the bench databases. */
  dispose(): Promise<void>;
}
