/**
 * The peer list: one `[data-peer-id]` button per known peer with `data-hops` and
 * `data-reachable` (automation contract). Peers that left stay listed (unreachable, in their own
 * group) so their conversation can still be opened.
 */
import type { PeerEntry } from '../../workers/node/api.ts';
import { displayName, el, shortId } from './dom.ts';

export interface PeerListView {
  readonly element: HTMLElement;
  render(peers: PeerEntry[], openPeer: string | undefined, unread: Map<string, number>): void;
}

export function createPeerListView(onOpen: (peerId: string) => void): PeerListView {
  const online = el('ul', { class: 'peers', 'aria-label': 'Reachable peers' });
  const offline = el('ul', { class: 'peers offline', 'aria-label': 'Offline peers' });
  const offlineHeading = el('h3', { class: 'peer-group', text: 'Offline' });
  const element = el(
    'nav',
    { 'data-testid': 'peer-list', class: 'peer-list' },
    online,
    offlineHeading,
    offline,
  );
  element.addEventListener('click', (ev) => {
    const target = (ev.target as Element).closest<HTMLElement>('[data-peer-id]');
    const id = target?.dataset.peerId;
    if (id) onOpen(id);
  });

  const row = (p: PeerEntry, open: boolean, unreadCount: number) => {
    const hops = p.reachable ? (p.hops === 1 ? 'direct' : `${p.hops} hops`) : 'offline';
    const rtt = p.reachable && p.rttMs !== undefined ? ` · ${Math.round(p.rttMs)} ms` : '';
    return el(
      'li',
      {},
      el(
        'button',
        {
          type: 'button',
          class: open ? 'peer open' : 'peer',
          'data-peer-id': p.peerId,
          'data-hops': p.hops,
          'data-reachable': String(p.reachable),
          title: p.peerId,
        },
        el('span', { class: 'dot', 'aria-hidden': 'true' }),
        el('span', { class: 'peer-name', text: displayName(p.name, p.peerId) }),
        el('span', { class: 'peer-meta', text: `${shortId(p.peerId)} · ${hops}${rtt}` }),
        ...(unreadCount > 0 ? [el('span', { class: 'badge', text: String(unreadCount) })] : []),
      ),
    );
  };

  return {
    element,
    render(peers, openPeer, unread) {
      const sorted = [...peers].sort(
        (a, b) =>
          a.hops - b.hops || a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId),
      );
      online.replaceChildren(
        ...sorted
          .filter((p) => p.reachable)
          .map((p) => row(p, p.peerId === openPeer, unread.get(p.peerId) ?? 0)),
      );
      const gone = sorted.filter((p) => !p.reachable);
      offline.replaceChildren(
        ...gone.map((p) => row(p, p.peerId === openPeer, unread.get(p.peerId) ?? 0)),
      );
      offlineHeading.hidden = gone.length === 0;
    },
  };
}
