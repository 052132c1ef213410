/**
 * Conversation ids as the UI sees them ('room', 'dm:<peer>') and as they are stored: the room
 * conversation is stored per room name ('room:<name>'), so one device that visits several rooms
 * keeps their histories apart.
 */
import type { ChatMessage, Conversation } from './api.ts';
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
