/**
 * The conversation history as the node worker sees it. Messages are stored before they are
 * sent and deduplicated by id, so a message is displayed exactly once however many copies
 * arrive. This in-memory log is the fallback when IndexedDB is unavailable; the persistent one
 * lives in store/.
 */
import type { ChatMessage, Conversation, DeliveryStatus } from './api.ts';

export interface ChatLog {
  /** False (and no change) if the id is already stored. */
  append(m: ChatMessage): Promise<boolean>;
  get(msgId: string): Promise<ChatMessage | undefined>;
  /** Moves status forward only (queued → sent → delivered); returns the new status or undefined. */
  setStatus(msgId: string, status: DeliveryStatus): Promise<DeliveryStatus | undefined>;
  /** Newest first, before `before` (ts, exclusive), at most `limit`. */
  page(c: Conversation, before: number, limit: number): Promise<ChatMessage[]>;
}

const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2 };

export function statusMovesForward(from: DeliveryStatus | undefined, to: DeliveryStatus): boolean {
  return from === undefined || RANK[to] > RANK[from];
}

export function createMemoryChatLog(): ChatLog {
  const byId = new Map<string, ChatMessage>();
  return {
    async append(m) {
      if (byId.has(m.msgId)) return false;
      byId.set(m.msgId, m);
      return true;
    },
    async get(id) {
      return byId.get(id);
    },
    async setStatus(id, status) {
      const m = byId.get(id);
      if (!m || !statusMovesForward(m.status, status)) return undefined;
      byId.set(id, { ...m, status });
      return status;
    },
    async page(c, before, limit) {
      return [...byId.values()]
        .filter((m) => m.conversation === c && m.ts < before)
        .sort((a, b) => b.ts - a.ts || b.msgId.localeCompare(a.msgId))
        .slice(0, limit);
    },
  };
}
