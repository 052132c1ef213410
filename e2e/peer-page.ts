/** Page object for one Katya Mesh tab, driven only through the automation contract's hooks. */
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

export class PeerPage {
  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {}

  async selfId(): Promise<string> {
    const el = this.page.getByTestId('self-id');
    await expect(el).toHaveText(/^[0-9a-f]{32}$/);
    return (await el.textContent())!;
  }

  peer(peerId: string): Locator {
    return this.page.getByTestId('peer-list').locator(`[data-peer-id="${peerId}"]`);
  }

  async expectReachable(peerId: string, reachable = true, timeout?: number): Promise<void> {
    await expect(this.peer(peerId)).toHaveAttribute('data-reachable', String(reachable), {
      timeout,
    });
  }

  async openRoom(): Promise<void> {
    await this.page.getByTestId('conversation-room').click();
  }

  async openDirect(peerId: string): Promise<void> {
    await this.peer(peerId).click();
  }

  /** Types and sends; resolves with the new message's id once it is in the list. */
  async send(text: string): Promise<string> {
    const self = await this.selfId();
    const mine = this.messages()
      .and(this.page.locator(`[data-from="${self}"]`))
      .filter({ hasText: text });
    const before = await mine.count();
    await this.page.getByTestId('compose').fill(text);
    await this.page.getByTestId('send').click();
    // The compose box clears only once the worker has stored the message and the list shows it.
    await expect(this.page.getByTestId('compose')).toHaveValue('');
    await expect(mine).toHaveCount(before + 1);
    return (await mine.last().getAttribute('data-msg-id'))!;
  }

  messages(): Locator {
    return this.page.getByTestId('messages').locator('[data-msg-id]');
  }

  message(msgId: string): Locator {
    return this.page.getByTestId('messages').locator(`[data-msg-id="${msgId}"]`);
  }

  async expectText(text: string): Promise<Locator> {
    const m = this.messages().filter({ hasText: text });
    await expect(m).toHaveCount(1);
    return m;
  }

  async signaling(): Promise<string | null> {
    return this.page.getByTestId('net-status').getAttribute('data-signaling');
  }
}
