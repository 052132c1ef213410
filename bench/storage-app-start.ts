/**
 * Cold online start vs warm offline start of the real app (built, served by our own server).
 * Per run: a fresh server and a fresh browser context (empty cache, storage, service workers);
 * first load online → wait until the service worker controls the page → reload online (warm)
 * → stop the server AND set the context offline → reload (warm, offline). Stopping the server
 * makes "offline" unarguable: nothing on loopback answers, so whatever starts came from the
 * service worker's cache.
 *
 * The clock is the page's own: performance.now() (from navigation start) at the DOM mutation that
 * puts a 32-hex peer id into [data-testid=self-id], recorded by an init script.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { build } from 'vite';
import { createSignalServer } from '../server/create-server.ts';

export interface AppStartPlan {
  root: string;
  /** Fresh contexts (cold starts); each also gives `reloads` warm samples per mode. */
  runs: number;
  reloads: number;
  /** Reuse an existing build instead of building into a temp dir. */
  distDir?: string;
  log: (line: string) => void;
}

export type AppStartResult =
  | {
      ok: true;
      buildMs: number;
      cold: number[];
      warmOnline: number[];
      warmOffline: number[];
      /** Cold load → service worker controls the page. */
      swControlMs: number[];
    }
  | { ok: false; reason: string };

const SELF_ID_TIMEOUT_MS = 30_000;
const SW_TIMEOUT_MS = 30_000;

/** Runs in the page before its own scripts, on every navigation (reloads included). */
function markSelfId(): void {
  const w = window as unknown as { __selfIdAt?: number };
  const observer = new MutationObserver(() => {
    const el = document.querySelector('[data-testid=self-id]');
    if (el && /^[0-9a-f]{32}$/.test(el.textContent ?? '')) {
      w.__selfIdAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

async function selfIdAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __selfIdAt?: number }).__selfIdAt,
    undefined,
    { timeout: SELF_ID_TIMEOUT_MS, polling: 20 },
  );
  return (await handle.jsonValue()) as number;
}

/** What the page knows about its service worker, for a report that says why it failed. */
function swState(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      if (!reg) return 'no registration';
      const state = (w: ServiceWorker | null) => w?.state ?? '-';
      return `registration: installing ${state(reg.installing)}, waiting ${state(reg.waiting)}, active ${state(reg.active)}`;
    })
    .catch((e: unknown) => `state unknown: ${String(e)}`);
}

async function buildApp(root: string, log: AppStartPlan['log']): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'katya-bench-dist-'));
  log(`  building the app into ${outDir} (vite build) …`);
  // A dev server that ran earlier in this process left NODE_ENV=development, and vite then makes
  // a development build: import.meta.env.PROD is false and the app never registers its service
  // worker. Force a production build, and put the variable back for whatever runs next.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    // Into a temp dir, not dist/: other work in this checkout may be reading or building dist/.
    await build({
      root,
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

export async function measureAppStart(
  browser: Browser,
  plan: AppStartPlan,
): Promise<AppStartResult> {
  let outDir: string | undefined;
  let builtHere = false;
  const t0 = performance.now();
  try {
    if (plan.distDir) outDir = plan.distDir;
    else {
      try {
        outDir = await buildApp(plan.root, plan.log);
        builtHere = true;
      } catch (e) {
        return { ok: false, reason: `vite build failed: ${String(e).split('\n')[0]}` };
      }
    }
    const buildMs = builtHere ? performance.now() - t0 : 0;
    if (!existsSync(join(outDir, 'index.html')))
      return { ok: false, reason: `no index.html in ${outDir}` };
    if (!existsSync(join(outDir, 'sw.js'))) {
      return { ok: false, reason: `the build has no service worker (${outDir}/sw.js missing)` };
    }

    const cold: number[] = [];
    const warmOnline: number[] = [];
    const warmOffline: number[] = [];
    const swControlMs: number[] = [];
    const errors: string[] = [];
    for (let run = 0; run < plan.runs; run++) {
      const server = createSignalServer({
        port: 0,
        host: '127.0.0.1',
        staticDir: outDir,
        log: () => {},
      });
      const context = await browser.newContext();
      try {
        await server.ready;
        const origin = `http://127.0.0.1:${server.address().port}`;
        await context.grantPermissions(['camera', 'microphone'], { origin });
        await context.addInitScript(markSelfId);
        const page = await context.newPage();
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${origin}/?room=bench-start-${run}&name=bench`, { waitUntil: 'commit' });
        try {
          cold.push(await selfIdAt(page));
        } catch {
          return {
            ok: false,
            reason: `the app did not show a 32-hex self-id within ${SELF_ID_TIMEOUT_MS} ms (cold, online)`,
          };
        }
        const sw0 = performance.now();
        try {
          await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
            timeout: SW_TIMEOUT_MS,
          });
        } catch {
          return {
            ok: false,
            reason:
              `no service worker controlled the page within ${SW_TIMEOUT_MS} ms ` +
              `(${await swState(page)}; page errors: ${errors.slice(-3).join(' | ') || 'none'})`,
          };
        }
        swControlMs.push(performance.now() - sw0);
        for (let i = 0; i < plan.reloads; i++) {
          await page.reload({ waitUntil: 'commit' });
          warmOnline.push(await selfIdAt(page));
        }
        await server.close();
        await context.setOffline(true);
        for (let i = 0; i < plan.reloads; i++) {
          try {
            await page.reload({ waitUntil: 'commit' });
            warmOffline.push(await selfIdAt(page));
          } catch (e) {
            return {
              ok: false,
              reason: `offline reload did not start the app: ${String(e).split('\n')[0]}`,
            };
          }
        }
      } finally {
        await context.close();
        await server.close();
      }
    }
    return { ok: true, buildMs, cold, warmOnline, warmOffline, swControlMs };
  } finally {
    if (builtHere && outDir) await rm(outDir, { recursive: true, force: true });
  }
}
