/**
 * Diagnostics: the live topology as an SVG picture. Nodes sit on a circle (stable positions by
 * peer id, so the picture does not jump on every update), links carry their RTT, and the route
 * to the selected peer is highlighted. Names are set with textContent like everywhere else.
 */
import type { TopologyView } from '../../workers/node/api.ts';
import { displayName, el } from './dom.ts';

const SVG = 'http://www.w3.org/2000/svg';
const SIZE = 420;
const R = 160;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function createTopologyView(
  container: HTMLElement,
  route: (peerId: string) => Promise<string[] | undefined>,
) {
  const picture = svg('svg', {
    viewBox: `0 0 ${SIZE} ${SIZE}`,
    role: 'img',
    'aria-label': 'Mesh topology',
    'data-testid': 'topology',
  });
  const caption = el('p', {
    class: 'route',
    'data-testid': 'route',
    text: 'Select a peer to see its route.',
  });
  container.append(el('h3', { text: 'Topology' }), picture, caption);
  let last: TopologyView | undefined;
  let selected: string | undefined;
  let path: string[] = [];

  const draw = () => {
    const t = last;
    if (!t) return;
    const ids = t.nodes.map((n) => n.peerId).sort();
    const pos = new Map<string, { x: number; y: number }>();
    ids.forEach((id, i) => {
      const a = (2 * Math.PI * i) / Math.max(1, ids.length) - Math.PI / 2;
      pos.set(id, { x: SIZE / 2 + R * Math.cos(a), y: SIZE / 2 + R * Math.sin(a) });
    });
    const onPath = new Set<string>();
    for (let i = 0; i + 1 < path.length; i++) onPath.add([path[i], path[i + 1]].sort().join('|'));
    const parts: SVGElement[] = [];
    for (const l of t.links) {
      const a = pos.get(l.a);
      const b = pos.get(l.b);
      if (!a || !b) continue;
      const hot = onPath.has([l.a, l.b].sort().join('|'));
      parts.push(
        svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: hot ? 'link route' : 'link' }),
      );
      const label = svg('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, class: 'rtt' });
      label.textContent = `${l.rttMs.toFixed(1)} ms`;
      parts.push(label);
    }
    for (const n of t.nodes) {
      const p = pos.get(n.peerId)!;
      const g = svg('g', { class: 'node', 'data-node-id': n.peerId, tabindex: 0 });
      const cls =
        n.peerId === t.self
          ? 'self'
          : n.peerId === selected
            ? 'selected'
            : path.includes(n.peerId)
              ? 'on-route'
              : '';
      g.append(svg('circle', { cx: p.x, cy: p.y, r: 11, class: cls }));
      const label = svg('text', { x: p.x, y: p.y + 26, class: 'node-label' });
      label.textContent = n.peerId === t.self ? 'you' : displayName(n.name, n.peerId);
      g.append(label);
      g.addEventListener('click', () => select(n.peerId));
      parts.push(g);
    }
    picture.replaceChildren(...parts);
  };

  const select = (peerId: string) => {
    selected = peerId;
    route(peerId).then(
      (p) => {
        path = p ?? [];
        caption.textContent = p
          ? `Route: ${p.map((id) => (id === last?.self ? 'you' : id.slice(0, 8))).join(' → ')}`
          : 'No route to that peer right now.';
        draw();
      },
      (e: unknown) => console.error(e),
    );
  };

  return {
    render(t: TopologyView) {
      last = t;
      if (selected && !t.nodes.some((n) => n.peerId === selected)) {
        selected = undefined;
        path = [];
      }
      if (selected)
        select(selected); // the route may have changed with the topology
      else draw();
    },
  };
}
