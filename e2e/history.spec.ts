/** Issue 4: history loads a page at a time, newest first, older on scroll. */
import { expect, test } from './fixtures.ts';

test('a long history opens at the newest page and loads older pages on scroll', async ({
  mesh,
}) => {
  const a = await mesh.open({ name: 'writer' });
  const compose = a.page.getByTestId('compose');
  const total = 120;
  for (let i = 0; i < total; i++) {
    await compose.fill(`line ${String(i).padStart(3, '0')}`);
    await a.page.getByTestId('send').click();
    await expect(compose).toHaveValue('');
  }
  await expect(a.messages()).toHaveCount(total);

  await a.page.reload();
  // One page, the newest: the last line is there, the first is not (yet).
  await expect(a.messages()).toHaveCount(50);
  await expect(a.messages().last()).toContainText('line 119');
  await expect(a.messages().filter({ hasText: 'line 000' })).toHaveCount(0);

  const list = a.page.getByTestId('messages');
  for (const expected of [100, 120]) {
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(a.messages()).toHaveCount(expected);
  }
  await expect(a.messages().first()).toContainText('line 000');
  // In order, each exactly once.
  const texts = await a.messages().locator('.msg-text').allTextContents();
  expect(texts).toEqual(
    Array.from({ length: total }, (_, i) => `line ${String(i).padStart(3, '0')}`),
  );
});
