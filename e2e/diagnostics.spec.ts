/** Issue 3, part 7: the diagnostics view draws the live topology and the route to a peer. */
import { expect, test } from './fixtures.ts';
import type { PeerPage } from './peer-page.ts';

test('diagnostics draws nodes, links with RTT, and highlights the route to a chosen peer', async ({
  mesh,
}) => {
  const pages: PeerPage[] = [];
  for (let i = 0; i < 4; i++) pages.push(await mesh.open({ name: `d${i}`, maxLinks: 2 }));
  const ids = await Promise.all(pages.map((p) => p.selfId()));
  for (const id of ids.slice(1)) await pages[0]!.expectReachable(id);

  const page = pages[0]!.page;
  await page.getByTestId('toggle-diagnostics').click();
  const picture = page.getByTestId('topology');
  await expect(picture).toBeVisible();
  await expect(picture.locator('[data-node-id]')).toHaveCount(4);
  await expect.poll(() => picture.locator('line.link').count()).toBeGreaterThanOrEqual(3);
  await expect(picture.locator('text.rtt').first()).toHaveText(/\d+(\.\d)? ms/);

  // The farthest peer: its route must be drawn hop by hop. Links accepted above maxLinks are
  // pruned back by topology control, after which some peer is two hops away.
  const hopsOf = () =>
    Promise.all(
      ids.slice(1).map(async (id) => Number(await pages[0]!.peer(id).getAttribute('data-hops'))),
    );
  await expect
    .poll(async () => Math.max(...(await hopsOf())), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(2);
  const hops = await hopsOf();
  const far = ids[1 + hops.indexOf(Math.max(...hops))]!;
  await picture.locator(`[data-node-id="${far}"]`).click();
  await expect(page.getByTestId('route')).toContainText(far.slice(0, 8));
  // Every hop of the route shown in the caption is highlighted in the picture (the topology may
  // still be settling, so compare the two live rather than against a number fixed earlier).
  const hopsInCaption = async () =>
    ((await page.getByTestId('route').textContent()) ?? '').split('→').length - 1;
  await expect
    .poll(
      async () => (await picture.locator('line.link.route').count()) === (await hopsInCaption()),
    )
    .toBe(true);
  expect(await hopsInCaption()).toBeGreaterThanOrEqual(1);

  // Live: a page leaves and the picture drops it.
  await pages[3]!.page.close();
  await expect(picture.locator('[data-node-id]')).toHaveCount(3, { timeout: 20_000 });
});
