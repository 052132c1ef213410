/**
 * A Vite dev server for a benchmark page: on a free loopback port, with its own dependency cache
 * and no file watching (others may be editing this checkout while a bench runs; a reload in the
 * middle of a measurement would spoil it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { chromiumLaunchOptions } from '../scripts/chromium.ts';
import { freePort } from '../server/free-port.ts';

export const REPO_ROOT = new URL('..', import.meta.url).pathname;

export interface BenchViteOptions {
  /** The bench page, e.g. 'bench/channel.html': its imports are pre-bundled up front. */
  entry: string;
  include: string[];
  exclude?: string[];
  cacheDir: string;
}

export async function startBenchVite(
  o: BenchViteOptions,
): Promise<{ server: ViteDevServer; url: string }> {
  const port = await freePort();
  const server = await createServer({
    root: REPO_ROOT,
    logLevel: 'warn',
    cacheDir: o.cacheDir,
    // Pre-bundle up front: a dependency discovered mid-run would reload the page.
    optimizeDeps: { entries: [o.entry], include: o.include, exclude: o.exclude },
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  return { server, url: `http://127.0.0.1:${port}` };
}

export interface BenchBrowserOptions extends Omit<BenchViteOptions, 'cacheDir'> {
  /** For the watchdog's message, e.g. 'channel bench'. */
  name: string;
  /** Whatever hangs, the bench ends after this: what it started is released, exit code 2. */
  hardLimitMs: number;
}

/**
 * Starts the bench page's Vite server and Debian Chromium, runs `run`, and always releases both
 * (and the private Vite cache), also when `run` throws or the watchdog fires.
 */
export async function runInBenchBrowser(
  o: BenchBrowserOptions,
  /** `closeVite` frees the dev server's CPU early (e.g. before timing a built app). */
  run: (browser: Browser, url: string, closeVite: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'katya-bench-vite-'));
  let vite: ViteDevServer | undefined;
  let browser: Browser | undefined;
  const watchdog = setTimeout(() => {
    console.error(`\n${o.name}: over ${o.hardLimitMs / 1000} s, stopping`);
    void Promise.allSettled([browser?.close(), vite?.close()]).then(() => process.exit(2));
  }, o.hardLimitMs);
  try {
    const started = await startBenchVite({ ...o, cacheDir });
    vite = started.server;
    browser = await chromium.launch(chromiumLaunchOptions());
    await run(browser, started.url, async () => {
      const v = vite;
      vite = undefined;
      await v?.close();
    });
  } finally {
    clearTimeout(watchdog);
    await browser?.close();
    await vite?.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}
