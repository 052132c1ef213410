/**
 * Raw RFC 822 e-mail (SpamAssassin corpus) → the text a person would read: subject + body.
 * Headers are dropped on purpose: routing headers are corpus artefacts that chat messages never
 * have, and a model that learnt them would not transfer to the mesh.
 */

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(raw: string): Part {
  const cut = raw.search(/\r?\n\r?\n/);
  const head = cut < 0 ? raw : raw.slice(0, cut);
  const body = cut < 0 ? '' : raw.slice(cut).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  // Folded header lines continue with whitespace.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([\w-]+):\s*(.*)$/.exec(line);
    if (m) headers.set((m[1] as string).toLowerCase(), m[2] as string);
  }
  return { headers, body };
}

function decodeTransfer(body: string, encoding: string): string {
  const enc = encoding.toLowerCase();
  if (enc.includes('base64'))
    return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  if (enc.includes('quoted-printable')) {
    return body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return body;
}

const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

export function stripHtml(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d) % 65536))
    .replace(/&(\w+);/g, (m, n: string) => ENTITIES[n.toLowerCase()] ?? m);
}

/** The readable text parts of a (possibly multipart) entity, depth-first. */
function textOf(part: Part, depth: number): string {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(part.headers.get('content-type') ?? '')?.[1];
  if (type.startsWith('multipart/') && boundary && depth < 4) {
    const pieces = part.body.split(`--${boundary}`).slice(1);
    const texts = pieces
      .filter((p) => !p.startsWith('--'))
      .map((p) => textOf(splitHeaders(p.replace(/^\r?\n/, '')), depth + 1));
    // multipart/alternative carries the same text twice (plain + html): keep the first.
    return type.startsWith('multipart/alternative')
      ? (texts.find((t) => t.trim() !== '') ?? '')
      : texts.join('\n');
  }
  if (!type.startsWith('text/')) return '';
  const decoded = decodeTransfer(part.body, part.headers.get('content-transfer-encoding') ?? '');
  return type.startsWith('text/html') ? stripHtml(decoded) : decoded;
}

export function emailToText(raw: string, maxChars = 1500): string {
  const top = splitHeaders(raw);
  // Mailing-list tags like "[SA]" or "[ILUG]" would be a label leak specific to this corpus.
  const subject = (top.headers.get('subject') ?? '')
    .replace(/\[[^\]]{1,40}\]/g, ' ')
    .replace(/=\?[^?]+\?[QB]\?[^?]*\?=/gi, ' ');
  const body = textOf(top, 0)
    .replace(/^>.*$/gm, ' ') // quoted replies repeat other messages
    .replace(/\s+/g, ' ')
    .trim();
  return `${subject.trim()}\n${body}`.slice(0, maxChars);
}
