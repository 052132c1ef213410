/**
 * Tiny DOM builder. Text goes in through textContent only: nothing a peer sends is ever parsed as
 * HTML (a message `<img src=x onerror=…>` is shown as those characters).
 */
type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

export function shortId(peerId: string): string {
  return peerId.slice(0, 8);
}

export function displayName(name: string, peerId: string): string {
  return name ? `${name}` : `peer ${shortId(peerId)}`;
}
