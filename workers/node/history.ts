/**
 * Conversation ids as the UI sees them ('room', 'dm:<peer>') and as they are stored: the room
 * conversation is stored per room name ('room:<name>'), so one device that visits several rooms
 * keeps their histories apart.
 */
import type { ChatMessage, Conversation, SpamVerdict } from './api.ts';
import type { MessageStore, PageOptions } from './store/message-store.ts';
import type { ConversationId, StoredMessage } from './store/types.ts';

export function storedConversation(c: Conversation, room: string): ConversationId {
  return c === 'room' ? `room:${room}` : c;
}

export function toStored(m: ChatMessage, room: string, receivedAt: number): StoredMessage {
  return { ...m, conversation: storedConversation(m.conversation, room), receivedAt };
}

export function toChat(m: StoredMessage): ChatMessage {
  const { receivedAt: _receivedAt, conversation, fromName, ...rest } = m;
  const c: Conversation = conversation.startsWith('dm:')
    ? (conversation as `dm:${string}`)
    : 'room';
  return { ...rest, conversation: c, fromName: fromName ?? '' };
}

/**
 * A page of history, oldest first for display. The user's verdict on a sender (spam / not spam)
 * also covers what that sender wrote before the verdict.
 */
export async function loadHistory(
  messages: MessageStore,
  verdicts: { feedback(peerId: string): Promise<SpamVerdict | null> },
  conversation: ConversationId,
  range: PageOptions,
): Promise<ChatMessage[]> {
  // A msg id without its ts is meaningless to the index: page from the newest then.
  const page = await messages.page(
    conversation,
    range.before === undefined ? { limit: range.limit } : range,
  );
  const known = new Map<string, SpamVerdict | null>();
  const out: ChatMessage[] = [];
  for (const m of page.map(toChat).reverse()) {
    if (m.direction !== 'in') {
      out.push(m);
      continue;
    }
    if (!known.has(m.from)) known.set(m.from, await verdicts.feedback(m.from));
    const v = known.get(m.from);
    const score = m.spam?.score ?? (v === 'spam' ? 1 : 0);
    out.push(v ? { ...m, spam: { score, flagged: v === 'spam' } } : m);
  }
  return out;
}
