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
  /** A queued message is held sealed by `n` online peers for its offline recipient. */
  setCarriers(msgId: string, n: number): void;
}

const order = (a: ChatMessage, b: ChatMessage) => a.ts - b.ts || a.msgId.localeCompare(b.msgId);

function timeLabel(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function createMessageListView(selfId: () => string): MessageListView {
  const element = el('ol', { 'data-testid': 'messages', class: 'messages', 'aria-live': 'polite' });
  const rows = new Map<string, { msg: ChatMessage; node: HTMLElement }>();

  const render = (m: ChatMessage): HTMLElement => {
    const mine = m.from === selfId();
    const node = el(
      'li',
      {
        class: mine ? 'msg mine' : 'msg',
        'data-msg-id': m.msgId,
        'data-from': m.from,
        'data-status': mine ? m.status : undefined,
        'data-spam': m.spam?.flagged ? 'true' : undefined,
      },
      el(
        'div',
        { class: 'msg-head' },
        el('span', { class: 'msg-from', text: mine ? 'You' : displayName(m.fromName, m.from) }),
        el('time', { class: 'msg-time', text: timeLabel(m.ts) }),
        ...(mine ? [el('span', { class: 'msg-status', text: m.status ?? '' })] : []),
        ...(m.hops && m.hops > 1
          ? [el('span', { class: 'msg-hops', text: `${m.hops} hops` })]
          : []),
      ),
      el('p', { class: 'msg-text', text: m.text }),
    );
    return node;
  };

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
    upsert(m) {
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
      const atEnd = before === null;
      element.insertBefore(node, before);
      if (atEnd) scrollToEnd();
    },
    setCarriers(msgId, n) {
      const row = rows.get(msgId);
      if (!row) return;
      row.node.dataset.carriers = String(n);
      const label = row.node.querySelector('.msg-status');
      if (label && row.msg.status === 'queued') label.textContent = `queued · carried by ${n}`;
    },
    setStatus(msgId, status) {
      const row = rows.get(msgId);
      if (!row) return;
      row.msg = { ...row.msg, status: status as ChatMessage['status'] };
      row.node.dataset.status = status;
      const label = row.node.querySelector('.msg-status');
      if (label) label.textContent = status;
    },
  };
}
