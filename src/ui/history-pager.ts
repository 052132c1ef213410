/**
 * Loads a conversation's history a page at a time, newest first and older on demand (scrolling
 * up), so opening a conversation with 100k messages reads 50 of them, not all.
 */
import type { ChatMessage, Conversation } from '../../workers/node/api.ts';

type Load = (
  c: Conversation,
  before: number | undefined,
  limit: number,
  beforeMsgId: string | undefined,
) => Promise<ChatMessage[]>;

interface PageState {
  oldest?: { ts: number; msgId: string };
  exhausted: boolean;
  loading?: Promise<ChatMessage[]>;
}

export function createHistoryPager(load: Load, pageSize = 50) {
  const states = new Map<Conversation, PageState>();
  const stateOf = (c: Conversation) => {
    let s = states.get(c);
    if (!s) states.set(c, (s = { exhausted: false }));
    return s;
  };

  return {
    started: (c: Conversation) => states.has(c),
    exhausted: (c: Conversation) => stateOf(c).exhausted,
    /** The next older page (oldest first); [] once the beginning is reached. */
    more(c: Conversation): Promise<ChatMessage[]> {
      const s = stateOf(c);
      if (s.exhausted) return Promise.resolve([]);
      s.loading ??= load(c, s.oldest?.ts, pageSize, s.oldest?.msgId)
        .then((page) => {
          if (page.length < pageSize) s.exhausted = true;
          const first = page[0];
          if (first) s.oldest = { ts: first.ts, msgId: first.msgId };
          return page;
        })
        .finally(() => (s.loading = undefined));
      return s.loading;
    },
  };
}
