/**
 * Issue 4: the app starts offline with its history, keeps what the user wrote, and gets direct
 * messages to recipients who are offline — later, or through carriers — exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { expect, test, type MeshHarness } from './fixtures.ts';
import type { PeerPage } from './peer-page.ts';

async function swControls(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  });
}

/** Both sides know each other's keys once each has a route and swapped cards. */
async function meet(a: PeerPage, b: PeerPage): Promise<[string, string]> {
  const [aId, bId] = [await a.selfId(), await b.selfId()];
  await a.expectReachable(bId);
  await b.expectReachable(aId);
  // A direct message that comes back delivered proves the cards were exchanged both ways.
  await a.openDirect(bId);
  const id = await a.send('hello, let us swap keys');
  await expect(a.message(id)).toHaveAttribute('data-status', 'delivered');
  await a.openRoom();
  return [aId, bId];
}

/** A and B meet, B's page closes, A writes to B: returns what the test needs to go on. */
async function writeToClosedPeer(mesh: MeshHarness, text: string) {
  const a = await mesh.open({ name: 'a' });
  const b = await mesh.open({ name: 'b' });
  const [aId, bId] = await meet(a, b);
  await b.page.close();
  await a.expectReachable(bId, false);
  await a.openDirect(bId);
  const msgId = await a.send(text);
  await expect(a.message(msgId)).toHaveAttribute('data-status', 'queued');
  return { a, aId, bId, bContext: b.context, msgId };
}

test('history survives a reload', async ({ mesh }) => {
  const a = await mesh.open({ name: 'a' });
  const b = await mesh.open({ name: 'b' });
  await b.expectReachable(await a.selfId());
  await a.send('first words');
  await b.expectText('first words');
  await b.send('an answer');
  await a.expectText('an answer');
  await a.page.reload();
  await a.expectText('first words');
  await a.expectText('an answer');
  await expect(a.messages()).toHaveCount(2);
});

test('with the network off, a reload still starts the app and shows the history', async ({
  mesh,
}) => {
  const a = await mesh.open({ name: 'a' });
  const b = await mesh.open({ name: 'b' });
  await b.expectReachable(await a.selfId());
  await b.send('remember me offline');
  await a.expectText('remember me offline');
  await swControls(a.page);
  await a.context.setOffline(true);
  await a.page.reload();
  await expect(a.page.getByTestId('self-id')).toHaveText(/^[0-9a-f]{32}$/);
  await a.expectText('remember me offline');
  await expect(a.page.getByTestId('net-status')).toHaveAttribute('data-signaling', 'disconnected');
});

test('a direct message to a closed page is delivered when it reopens, exactly once', async ({
  mesh,
}) => {
  const { a, aId, bId, bContext, msgId } = await writeToClosedPeer(mesh, 'while you were away');

  const b2 = await mesh.open({ name: 'b', context: bContext });
  expect(await b2.selfId()).toBe(bId);
  await b2.openDirect(aId);
  const got = await b2.expectText('while you were away');
  await expect(got).toHaveAttribute('data-msg-id', msgId);
  await expect(a.message(msgId)).toHaveAttribute('data-status', 'delivered');
  // Retries and receipts must not produce a second copy, also not after a reload.
  await b2.page.waitForTimeout(1500);
  await expect(b2.messages().filter({ hasText: 'while you were away' })).toHaveCount(1);
  await b2.page.reload();
  await b2.openDirect(aId);
  await expect(b2.messages().filter({ hasText: 'while you were away' })).toHaveCount(1);
});

test('a message unacknowledged past its expiry shows as not delivered, and Retry delivers it', async ({
  mesh,
}) => {
  const { a, aId, bContext, msgId } = await writeToClosedPeer(mesh, 'this one expires');
  // Seven days pass: age its outbox entry in A's IndexedDB (the page shares the worker's origin).
  const aged = await a.page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('katya-mesh');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      return await new Promise<boolean>((resolve, reject) => {
        const tx = db.transaction('outbox', 'readwrite');
        const store = tx.objectStore('outbox');
        let found = false;
        const get = store.get(id);
        get.onsuccess = () => {
          const rec = get.result as { expiresAt: number } | undefined;
          if (!rec) return;
          found = true;
          store.put({ ...rec, expiresAt: Date.now() - 1 });
        };
        tx.oncomplete = () => resolve(found);
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }, msgId);
  expect(aged).toBe(true);
  // The outbox looks for expired entries every 10 s: the user is told, not left waiting.
  await expect(a.message(msgId)).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(a.message(msgId)).toContainText('not delivered');
  await a.message(msgId).getByTestId('retry').click();
  await expect(a.message(msgId)).toHaveAttribute('data-status', 'queued');

  const b2 = await mesh.open({ name: 'b', context: bContext });
  await b2.openDirect(aId);
  await b2.expectText('this one expires');
  await expect(a.message(msgId)).toHaveAttribute('data-status', 'delivered');
  await expect(b2.messages().filter({ hasText: 'this one expires' })).toHaveCount(1);
});

test('store-and-forward: A writes to offline B and leaves, C carries it, B gets it from C', async ({
  mesh,
}) => {
  const a = await mesh.open({ name: 'a' });
  const b = await mesh.open({ name: 'b' });
  const c = await mesh.open({ name: 'c' });
  const [aId, bId] = await meet(a, b);
  const cId = await c.selfId();
  await a.expectReachable(cId);
  await c.expectReachable(bId);
  const bContext = b.context;
  const aContext = a.context;
  await b.page.close();
  await a.expectReachable(bId, false);
  await c.expectReachable(bId, false);

  await a.openDirect(bId);
  const msgId = await a.send('sealed, carried by someone else');
  await expect(a.message(msgId)).toHaveAttribute('data-carriers', /^[1-9]/);
  await a.page.close();
  await c.expectReachable(aId, false);

  const b2 = await mesh.open({ name: 'b', context: bContext });
  await b2.expectReachable(cId);
  await b2.openDirect(aId);
  const got = await b2.expectText('sealed, carried by someone else');
  await expect(got).toHaveAttribute('data-msg-id', msgId);
  await expect(got).toHaveAttribute('data-from', aId);
  // The carrier could not read it: it never shows up in C's conversations.
  await c.openDirect(aId);
  await expect(c.messages().filter({ hasText: 'sealed, carried' })).toHaveCount(0);

  // B's receipt travels back the same way: A, back later, sees the message delivered.
  await b2.page.close();
  const a2 = await mesh.open({ name: 'a', context: aContext });
  await a2.expectReachable(cId);
  await a2.openDirect(bId);
  await expect(a2.message(msgId)).toHaveAttribute('data-status', 'delivered');
});

test('a message stored but not yet sent when the page closes is sent after restart', async ({
  mesh,
}) => {
  const { a, aId, bId, bContext, msgId } = await writeToClosedPeer(
    mesh,
    'written just before the crash',
  );
  // Closed without unload handlers, the way a crash or a killed tab goes.
  await a.page.close({ runBeforeUnload: false });

  const b2 = await mesh.open({ name: 'b', context: bContext });
  const a2 = await mesh.open({ name: 'a', context: a.context });
  await a2.openDirect(bId);
  await expect(a2.message(msgId)).toHaveAttribute('data-status', 'delivered');
  await b2.openDirect(aId);
  await expect(b2.messages().filter({ hasText: 'written just before the crash' })).toHaveCount(1);
});

test('the manifest and service worker pass Chromium installability checks', async ({
  server,
}, testInfo) => {
  // Incognito contexts are never installable ("in-incognito"): use a real profile directory.
  const profile = await mkdtemp(join(tmpdir(), 'katya-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...testInfo.project.use.launchOptions,
    headless: true,
  });
  try {
    await context.grantPermissions(['camera', 'microphone'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/?room=install`);
    await expect(page.getByTestId('self-id')).toHaveText(/^[0-9a-f]{32}$/);
    await swControls(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toMatch(/manifest\.webmanifest$/);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
