/** Issue 5: incoming messages are screened on the device; the user stays in charge. */
import { expect, test } from './fixtures.ts';

const SPAM =
  'WINNER!! You have won a FREE cash prize of £1000. Call 09061701461 now to claim, T&C apply';
const SPAM_2 =
  'URGENT! Your mobile number has won a £2000 bonus caller prize! Call 09058094455 to claim now';
const HAM = 'are we still on for lunch tomorrow?';

test('obvious spam arrives flagged and collapsed, ordinary chat does not, "show" reveals it', async ({
  mesh,
}) => {
  const spammer = await mesh.open({ name: 'spammer' });
  const bob = await mesh.open({ name: 'bob' });
  await bob.expectReachable(await spammer.selfId());
  await spammer.send(HAM);
  await spammer.send(SPAM);

  const ham = await bob.expectText(HAM);
  await expect(ham).not.toHaveAttribute('data-spam', 'true');
  const spam = bob.messages().filter({ has: bob.page.getByTestId('spam-label') });
  await expect(spam).toHaveCount(1);
  await expect(spam).toHaveAttribute('data-spam', 'true');
  await expect(spam.getByTestId('spam-label')).toContainText(/Likely spam · \d+%/);
  // Collapsed: the text is not on screen until the user asks.
  await expect(bob.messages().filter({ hasText: 'FREE cash prize' })).toHaveCount(0);
  await spam.getByTestId('spam-show').click();
  await expect(bob.messages().filter({ hasText: 'FREE cash prize' })).toHaveCount(1);
});

test('feedback on a sender and the strictness setting persist across reload', async ({ mesh }) => {
  const friend = await mesh.open({ name: 'friend' });
  const bob = await mesh.open({ name: 'bob' });
  const friendId = await friend.selfId();
  await bob.expectReachable(friendId);
  await friend.send(SPAM);
  const flagged = bob.messages().filter({ has: bob.page.getByTestId('spam-label') });
  await expect(flagged).toHaveCount(1);
  await flagged.getByTestId('spam-show').click();
  await bob.messages().getByTestId('feedback-not-spam').click();
  await expect(bob.messages().first()).not.toHaveAttribute('data-spam', 'true');

  await bob.page.getByTestId('screening').selectOption('high');
  await bob.page.reload();
  await expect(bob.page.getByTestId('screening')).toHaveValue('high');
  // The verdict covers this sender's history and what they send next.
  await expect(bob.messages()).toHaveCount(1);
  await expect(bob.messages().first()).not.toHaveAttribute('data-spam', 'true');
  await bob.expectReachable(friendId);
  await friend.send(SPAM_2);
  const next = await bob.expectText('bonus caller prize');
  await expect(next).not.toHaveAttribute('data-spam', 'true');

  // Turning screening off: a new sender's spam is no longer flagged either.
  await bob.page.getByTestId('screening').selectOption('off');
  const stranger = await mesh.open({ name: 'stranger' });
  await bob.expectReachable(await stranger.selfId());
  await stranger.send(
    'FREE entry in 2 a wkly comp to win FA Cup final tkts, text FA to 87121 to receive entry',
  );
  await expect(await bob.expectText('FA Cup final')).not.toHaveAttribute('data-spam', 'true');
});
