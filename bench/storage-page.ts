/**
 * The storage bench page: starts the bench worker (the app writes from its node worker, so the
 * bench measures from a worker too) and hands its Comlink proxy to the Playwright driver.
 */
import * as Comlink from 'comlink';
import type { StorageBenchApi } from './storage-api.ts';

const worker = new Worker(new URL('./storage-worker.ts', import.meta.url), {
  type: 'module',
  name: 'storage-bench',
});

// The driver calls `storageBench.<method>(plan)` through page.evaluate and awaits the result.
(globalThis as unknown as { storageBench: Comlink.Remote<StorageBenchApi> }).storageBench =
  Comlink.wrap<StorageBenchApi>(worker);
document.body.dataset.ready = 'true';
