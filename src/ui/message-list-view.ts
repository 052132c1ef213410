/**
 * The open conversation: one `[data-msg-id]` element per message, kept in (ts, msgId) order and
 * updated in place (status changes, late arrivals) instead of re-rendering the whole list.
 */
import type { ChatMessage } from '../../workers/node/api.ts';
import { displayName, el } from './dom.ts';

export interface MessageListView {
  readonly element: HTMLElement;
  reset(messages: ChatMessage[]): void;
  upsert(message: ChatMessage): void;
  setStatus(msgId: string, status: string): void;
  /** Older messages (from paging) go above, without moving what the user is looking at. */
  prependOlder(messages: ChatMessage[]): void;
  /** Called when the user scrolls to the top: time to load an older page. */
  onReachTop(cb: () => void): () => void;
  /** A queued message is held sealed by `n` online peers for its offline recipient. */
  setCarriers(msgId: string, n: number): void;
}

const order = (a: ChatMessage, b: ChatMessage) => a.ts - b.ts || a.msgId.localeCompare(b.msgId);

function timeLabel(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export interface MessageListCallbacks {
  selfId(): string;
  /** The user says what this sender's messages are. */
  feedback(m: ChatMessage, verdict: 'spam' | 'not-spam'): void;
  /** Queue a failed (expired, never acknowledged) message of ours again. */
  retry(m: ChatMessage): void;
}

export function createMessageListView(cb: MessageListCallbacks): MessageListView {
  const element = el('ol', { 'data-testid': 'messages', class: 'messages', 'aria-live': 'polite' });
  const rows = new Map<string, { msg: ChatMessage; node: HTMLElement }>();
  /** Flagged messages the user chose to look at anyway. */
  const revealed = new Set<string>();
  /** How many peers carry each queued message (survives re-rendering a row). */
  const carriers = new Map<string, number>();

  const button = (testid: string, text: string, onClick: () => void) => {
    const b = el('button', { type: 'button', class: 'link-button', 'data-testid': testid, text });
    b.addEventListener('click', onClick);
    return b;
  };

  const body = (m: ChatMessage, mine: boolean): HTMLElement[] => {
    if (mine && m.status === 'failed') {
      return [
        el('p', { class: 'msg-text', text: m.text }),
        el(
          'div',
          { class: 'msg-actions' },
          button('retry', 'Retry', () => cb.retry(m)),
        ),
      ];
    }
    if (mine) return [el('p', { class: 'msg-text', text: m.text })];
    const score = m.spam ? `${Math.round(m.spam.score * 100)}%` : '';
    if (m.spam?.flagged && !revealed.has(m.msgId)) {
      return [
        el(
          'div',
          { class: 'spam-label', 'data-testid': 'spam-label' },
          el('span', { text: `Likely spam · ${score}` }),
          button('spam-show', 'Show', () => {
            revealed.add(m.msgId);
            upsert(m);
          }),
        ),
      ];
    }
    const actions = m.spam?.flagged
      ? [
          el('span', { class: 'spam-note', text: `Likely spam · ${score}` }),
          button('feedback-not-spam', 'Not spam', () => cb.feedback(m, 'not-spam')),
        ]
      : [button('feedback-spam', 'Report spam', () => cb.feedback(m, 'spam'))];
    return [
      el('p', { class: 'msg-text', text: m.text }),
      el('div', { class: 'msg-actions' }, ...actions),
    ];
  };

  const statusLabel = (m: ChatMessage) => {
    const n = carriers.get(m.msgId);
    if (m.status === 'failed') return 'not delivered';
    return m.status === 'queued' && n ? `queued · carried by ${n}` : (m.status ?? '');
  };

  const render = (m: ChatMessage): HTMLElement => {
    const mine = m.from === cb.selfId();
    const node = el(
      'li',
      {
        class: mine ? 'msg mine' : 'msg',
        'data-msg-id': m.msgId,
        'data-from': m.from,
        'data-status': mine ? m.status : undefined,
        'data-spam': m.spam?.flagged ? 'true' : undefined,
        'data-carriers': carriers.get(m.msgId),
      },
      el(
        'div',
        { class: 'msg-head' },
        el('span', { class: 'msg-from', text: mine ? 'You' : displayName(m.fromName, m.from) }),
        el('time', { class: 'msg-time', text: timeLabel(m.ts) }),
        ...(mine ? [el('span', { class: 'msg-status', text: statusLabel(m) })] : []),
        ...(m.hops && m.hops > 1
          ? [el('span', { class: 'msg-hops', text: `${m.hops} hops` })]
          : []),
      ),
      ...body(m, mine),
    );
    return node;
  };

  function upsert(m: ChatMessage, follow = true) {
    const existing = rows.get(m.msgId);
    const node = render(m);
    if (existing) {
      existing.node.replaceWith(node);
      rows.set(m.msgId, { msg: m, node });
      return;
    }
    rows.set(m.msgId, { msg: m, node });
    // Usually the newest: walk back from the end to find the slot.
    let before: HTMLElement | null = null;
    for (let child = element.lastElementChild; child; child = child.previousElementSibling) {
      const id = (child as HTMLElement).dataset.msgId!;
      const other = rows.get(id)!.msg;
      if (order(other, m) <= 0) break;
      before = child as HTMLElement;
    }
    element.insertBefore(node, before);
    if (before === null && follow) scrollToEnd();
  }

  const scrollToEnd = () => {
    element.scrollTop = element.scrollHeight;
  };

  return {
    element,
    reset(messages) {
      rows.clear();
      const sorted = [...messages].sort(order);
      const nodes = sorted.map((m) => {
        const node = render(m);
        rows.set(m.msgId, { msg: m, node });
        return node;
      });
      element.replaceChildren(...nodes);
      scrollToEnd();
    },
    upsert,
    prependOlder(messages) {
      const fromBottom = element.scrollHeight - element.scrollTop;
      for (const m of [...messages].sort(order).reverse()) upsert(m, false);
      element.scrollTop = element.scrollHeight - fromBottom;
    },
    onReachTop(cb) {
      const onScroll = () => {
        if (element.scrollTop < 60) cb();
      };
      element.addEventListener('scroll', onScroll, { passive: true });
      return () => element.removeEventListener('scroll', onScroll);
    },
    setCarriers(msgId, n) {
      carriers.set(msgId, n);
      const row = rows.get(msgId);
      if (row) upsert(row.msg);
    },
    setStatus(msgId, status) {
      const row = rows.get(msgId);
      if (!row) return;
      upsert({ ...row.msg, status: status as ChatMessage['status'] });
    },
  };
}
