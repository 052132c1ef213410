/**
 * Multi-peer fixture: each test gets its own signaling server (our real one, in this process, on
 * an ephemeral loopback port, serving the built app) and opens peers as separate browser
 * contexts, i.e. separate devices with their own IndexedDB and identity.
 */
import { test as base, type Browser, type BrowserContext } from '@playwright/test';
import { createSignalServer } from '../server/create-server.ts';
import { PeerPage } from './peer-page.ts';

export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

export interface OpenPeerOptions {
  room?: string;
  name?: string;
  maxLinks?: number;
  /** Reuse a context (same device: same IndexedDB, same identity) instead of a new one. */
  context?: BrowserContext;
  extraQuery?: string;
}

export interface MeshHarness {
  open(opts?: OpenPeerOptions): Promise<PeerPage>;
  newContext(): Promise<BrowserContext>;
}

async function startServer(): Promise<TestServer & { close(): Promise<void> }> {
  const server = createSignalServer({ port: 0, host: '127.0.0.1', staticDir: 'dist' });
  await server.ready;
  const { port } = server.address();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return { url: `http://127.0.0.1:${port}`, stop, close: stop };
}

async function contextFor(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  // Without a media permission Chromium hides every local ICE candidate (RECIPES.md).
  await context.grantPermissions(['camera', 'microphone'], { origin: baseURL });
  return context;
}

export const test = base.extend<{ server: TestServer; mesh: MeshHarness }>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: it must be {}.
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const s = await startServer();
    await use(s);
    await s.close();
  },
  mesh: async ({ browser, server }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    const logs: string[][] = [];
    const newContext = async () => {
      const c = await contextFor(browser, server.url);
      contexts.push(c);
      return c;
    };
    await use({
      newContext,
      async open(opts = {}) {
        const context = opts.context ?? (await newContext());
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        const q = new URLSearchParams({ room: opts.room ?? 'lobby' });
        if (opts.name) q.set('name', opts.name);
        if (opts.maxLinks) q.set('maxLinks', String(opts.maxLinks));
        await page.goto(`/?${q}${opts.extraQuery ?? ''}`);
        logs.push(errors);
        return new PeerPage(page, context);
      },
    });
    // Browser-side errors explain most e2e failures; keep them with the test's report.
    for (const [i, errors] of logs.entries()) {
      if (errors.length) await testInfo.attach(`page-${i + 1}-errors`, { body: errors.join('\n') });
    }
    for (const c of contexts) await c.close().catch(() => undefined);
  },
});

export { expect } from '@playwright/test';
