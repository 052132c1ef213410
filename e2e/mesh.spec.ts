/**
 * Issue 3: six browsers that each keep at most two direct links still form one mesh: room
 * messages reach everyone, direct messages cross intermediate browsers, the mesh heals when a
 * middle browser closes, and it keeps delivering with the signaling server gone.
 */
import type { PeerPage } from './peer-page.ts';
import { expect, test } from './fixtures.ts';

const N = 6;

async function openMesh(open: (o: { name: string; maxLinks: number }) => Promise<PeerPage>) {
  const pages: PeerPage[] = [];
  for (let i = 0; i < N; i++) pages.push(await open({ name: `p${i}`, maxLinks: 2 }));
  const ids = await Promise.all(pages.map((p) => p.selfId()));
  // Converged when every page has a route to every other one.
  for (const [i, p] of pages.entries()) {
    for (const [j, id] of ids.entries()) if (i !== j) await p.expectReachable(id);
  }
  return { pages, ids };
}

async function directLinks(p: PeerPage): Promise<number> {
  return p.page.getByTestId('peer-list').locator('[data-hops="1"][data-reachable="true"]').count();
}

/** A peer that `from` reaches only through others (data-hops ≥ 2). */
async function farPeer(from: PeerPage, ids: string[], prefer: string): Promise<string> {
  const hopsOf = async (id: string) => Number(await from.peer(id).getAttribute('data-hops'));
  if ((await hopsOf(prefer)) >= 2) return prefer;
  for (const id of ids) if ((await hopsOf(id)) >= 2) return id;
  throw new Error('no peer is two or more hops away');
}

test('six pages with maxLinks=2: room broadcast reaches all, direct messages go multi-hop', async ({
  mesh,
}) => {
  const { pages, ids } = await openMesh(mesh.open);
  // Links accepted above maxLinks (room for repairs) are pruned back by topology control.
  for (const p of pages)
    await expect.poll(() => directLinks(p), { timeout: 30_000 }).toBeLessThanOrEqual(2);

  const first = pages[0]!;
  await first.send('to everyone');
  for (const p of pages.slice(1)) await p.expectText('to everyone');

  const target = await farPeer(first, ids.slice(1), ids[N - 1]!);
  expect(Number(await first.peer(target).getAttribute('data-hops'))).toBeGreaterThanOrEqual(2);
  await first.openDirect(target);
  const msgId = await first.send('just for you, across the mesh');
  const receiver = pages[ids.indexOf(target)]!;
  await receiver.openDirect(ids[0]!);
  const got = await receiver.expectText('just for you, across the mesh');
  await expect(got).toHaveAttribute('data-msg-id', msgId);
  await expect(got).toHaveAttribute('data-from', ids[0]!);
  // The bystanders relayed it but never display it.
  for (const p of pages) {
    if (p === receiver || p === first) continue;
    await expect(p.messages().filter({ hasText: 'just for you' })).toHaveCount(0);
  }
});

test('closing a middle page: the others still reach each other', async ({ mesh }) => {
  const { pages, ids } = await openMesh(mesh.open);
  // The page with the most relaying to do: a direct neighbour of the first page.
  const middle = pages.findIndex((p, i) => i > 0 && i < N - 1);
  await pages[middle]!.page.close();
  const rest = pages.filter((_, i) => i !== middle);
  const restIds = ids.filter((_, i) => i !== middle);
  for (const [i, p] of rest.entries()) {
    await expect(p.peer(ids[middle]!)).toHaveAttribute('data-reachable', 'false', {
      timeout: 15_000,
    });
    for (const [j, id] of restIds.entries()) if (i !== j) await p.expectReachable(id);
  }
  await rest[0]!.send('after the middle left');
  for (const p of rest.slice(1)) await p.expectText('after the middle left');
});

test('with the signaling server stopped, the mesh keeps delivering and re-links through itself', async ({
  mesh,
  server,
}) => {
  const { pages, ids } = await openMesh(mesh.open);
  // Topology control settles on a ring (every page at two links): no single page is then a cut
  // vertex, so one leaving cannot partition the mesh even with no server to re-introduce anyone.
  for (const p of pages) await expect.poll(() => directLinks(p), { timeout: 45_000 }).toBe(2);
  await server.stop();
  for (const p of pages) {
    await expect(p.page.getByTestId('net-status')).toHaveAttribute(
      'data-signaling',
      'disconnected',
    );
  }
  await pages[N - 1]!.send('no server needed');
  for (const p of pages.slice(0, N - 1)) await p.expectText('no server needed');

  // A browser leaves; its neighbours' lost links are replaced by negotiating through the mesh.
  const leaving = 2;
  await pages[leaving]!.page.close();
  const rest = pages.filter((_, i) => i !== leaving);
  const restIds = ids.filter((_, i) => i !== leaving);
  for (const [i, p] of rest.entries()) {
    for (const [j, id] of restIds.entries()) if (i !== j) await p.expectReachable(id);
  }
  await rest[0]!.send('still here without a server');
  for (const p of rest.slice(1)) await p.expectText('still here without a server');
  // The neighbours that lost a link to the page that left get back to two links each. With the
  // server down, the only way to negotiate those new data channels is through the mesh.
  for (const p of rest) {
    await expect.poll(() => directLinks(p), { timeout: 45_000 }).toBe(2);
  }
});
