/**
 * The storage bench, run where the app writes: inside a dedicated worker, against the REAL store
 * modules (openMeshDb + createMessageStore), beside a plain-IndexedDB baseline in the same worker.
 * Every case gets the same records, into an empty store with the same index; see timedCases.
 */
import { unwrap } from 'idb';
import {
  createMessageStore,
  openMeshDb,
  type MeshDb,
  type MessageStore,
} from '../workers/node/store/index.ts';
import type { StoredMessage } from '../workers/node/store/types.ts';
import type {
  BatchWriteResult,
  BenchEnv,
  PagePlan,
  PageResult,
  SingleWriteResult,
  StorageBenchApi,
} from './storage-api.ts';
import { messageSource } from './storage-messages.ts';
import {
  bulkAddObserved,
  bulkPut,
  clearMessages,
  countMessages,
  newestByFullScan,
  newestByIndexGetAll,
  openRawDb,
  putEach,
} from './storage-raw.ts';

const OURS_DB = 'katya-bench-store';
const RAW_DB = 'katya-bench-raw';

interface Dbs {
  db: MeshDb;
  raw: IDBDatabase;
  store: MessageStore;
  rawOfOurs: IDBDatabase;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function timerStep(): number {
  let best = Infinity;
  // Bounded: a coarse timer (100 µs without isolation) still ticks within a few ms.
  for (let i = 0; i < 2000; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best;
}

/** Where a case's samples go, what it runs, and which database it writes (cleared first). */
type TimedCase = [samples: number[], run: () => Promise<unknown>, target: IDBDatabase];

/**
 * One run of every case, each from an empty store. The starting case rotates with the run so no
 * case always pays for its predecessor's leftover work (LevelDB compaction, GC).
 */
async function timedCases(run: number, warmup: number, cases: readonly TimedCase[]) {
  for (let i = 0; i < cases.length; i++) {
    const [samples, fn, target] = cases[(i + run) % cases.length]!;
    await clearMessages(target);
    const ms = await timed(fn);
    if (run >= warmup) samples.push(ms);
  }
}

const ids = (list: readonly StoredMessage[]) => list.map((m) => m.msgId).join(',');

export function createStorageBench(): StorageBenchApi {
  const source = messageSource(0x6b617479);
  let opened: Promise<Dbs> | undefined;
  const dbs = () =>
    (opened ??= (async () => {
      // A fresh database each run of the bench: no history from an earlier one skews it.
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase(OURS_DB);
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error ?? new DOMException('delete failed'));
      });
      const db = await openMeshDb({ name: OURS_DB });
      const raw = await openRawDb(RAW_DB);
      return { db, raw, store: createMessageStore(db), rawOfOurs: unwrap(db) };
    })());

  return {
    async env(): Promise<BenchEnv> {
      await dbs();
      return { crossOriginIsolated, userAgent: navigator.userAgent, timerStepMs: timerStep() };
    },

    async batchWrites({ size, runs, warmup }): Promise<BatchWriteResult> {
      const { raw, store, rawOfOurs } = await dbs();
      const ours: number[] = [];
      const base: number[] = [];
      const rawAdd: number[] = [];
      for (let r = 0; r < warmup + runs; r++) {
        const msgs = source.next(size);
        await timedCases(r, warmup, [
          [ours, () => store.appendMany(msgs), rawOfOurs],
          [base, () => bulkPut(raw, msgs), raw],
          [rawAdd, () => bulkAddObserved(raw, msgs), raw],
        ]);
      }
      const countsOk =
        (await countMessages(rawOfOurs)) === size && (await countMessages(raw)) === size;
      return { ours, raw: base, rawAdd, countsOk };
    },

    async singleWrites({ size, runs, warmup }): Promise<SingleWriteResult> {
      const { raw, store, rawOfOurs } = await dbs();
      const batch: number[] = [];
      const oursLoop: number[] = [];
      const rawLoop: number[] = [];
      for (let r = 0; r < warmup + runs; r++) {
        const msgs = source.next(size);
        const cases: TimedCase[] = [
          [batch, () => store.appendMany(msgs), rawOfOurs],
          [
            oursLoop,
            async () => {
              for (const m of msgs) await store.append(m);
            },
            rawOfOurs,
          ],
          [rawLoop, () => putEach(raw, msgs), raw],
        ];
        await timedCases(r, warmup, cases);
      }
      return { batch, oursLoop, rawLoop };
    },

    async newestPage(plan: PagePlan): Promise<PageResult> {
      const { store, rawOfOurs } = await dbs();
      await clearMessages(rawOfOurs);
      const t0 = performance.now();
      let stored = 0;
      while (stored < plan.total && performance.now() - t0 < plan.fillBudgetMs) {
        const flags = await store.appendMany(
          source.next(Math.min(plan.chunk, plan.total - stored)),
        );
        stored += flags.filter(Boolean).length;
      }
      const fillMs = performance.now() - t0;
      const conversation = source.conversations[0]!;
      const range = IDBKeyRange.bound([conversation], [conversation, []]);
      const conversationSize = await new Promise<number>((resolve, reject) => {
        const req = rawOfOurs
          .transaction('messages')
          .objectStore('messages')
          .index('by-conversation-ts')
          .count(range);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new DOMException('count failed'));
      });

      const opts = { limit: plan.limit };
      let viaPage: StoredMessage[] = [];
      const firstPageMs = await timed(async () => (viaPage = await store.page(conversation, opts)));
      const sample = async (n: number, warmup: number, fn: () => Promise<unknown>) => {
        const out: number[] = [];
        for (let i = 0; i < warmup + n; i++) {
          const ms = await timed(fn);
          if (i >= warmup) out.push(ms);
        }
        return out;
      };
      const page = await sample(plan.pageRuns, 3, () => store.page(conversation, opts));
      let viaScan: StoredMessage[] = [];
      const fullScan = await sample(plan.scanRuns, 1, async () => {
        viaScan = await newestByFullScan(rawOfOurs, conversation, plan.limit);
      });
      let viaIndex: StoredMessage[] = [];
      const indexGetAll = await sample(plan.scanRuns, 1, async () => {
        viaIndex = await newestByIndexGetAll(rawOfOurs, conversation, plan.limit);
      });
      const sameResult =
        viaPage.length === Math.min(plan.limit, conversationSize) &&
        ids(viaPage) === ids(viaScan) &&
        ids(viaPage) === ids(viaIndex);
      return {
        stored,
        fillMs,
        conversation,
        conversationSize,
        firstPageMs,
        page,
        fullScan,
        indexGetAll,
        sameResult,
      };
    },

    async dispose() {
      if (!opened) return;
      const { db, raw } = await opened;
      opened = undefined;
      db.close();
      raw.close();
      for (const name of [OURS_DB, RAW_DB]) indexedDB.deleteDatabase(name);
    },
  };
}
