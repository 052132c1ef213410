/**
 * Serves the built app (STATIC_DIR). Paths are decoded and checked segment by segment before
 * they touch the file system, and the real path (after symlinks) must stay inside the root.
 * Unknown extension-less paths are SPA routes and get index.html; a missing asset is a 404 so a
 * stale service worker or a typo fails loudly instead of receiving HTML as JavaScript.
 */
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { contentTypeFor, isCompressible } from './mime.ts';
import { FileCache, etagFor, type Encoding } from './file-cache.ts';

export interface StaticSite {
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

interface Found {
  real: string;
  stat: Stats;
  /** Path relative to the root, '/'-separated: decides the caching policy. */
  rel: string;
}

export function createStaticSite(dir: string): StaticSite {
  const cache = new FileCache({ maxFileBytes: 32 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 });
  let root: string | undefined;

  const resolveRoot = async (): Promise<string | undefined> => {
    if (root) return root;
    try {
      root = await realpath(dir);
      return root;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };

  /** A regular file inside the root (after resolving symlinks), else undefined. */
  const findFile = async (base: string, segments: string[]): Promise<Found | undefined> => {
    let real: string;
    try {
      real = await realpath(join(base, ...segments));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
    if (real !== base && !real.startsWith(base + sep)) return undefined;
    const st = await stat(real);
    if (st.isDirectory()) return findFile(base, [...segments, 'index.html']);
    if (!st.isFile()) return undefined;
    return {
      real,
      stat: st,
      rel: real
        .slice(base.length + 1)
        .split(sep)
        .join('/'),
    };
  };

  return {
    async serve(req, res, pathname) {
      const segments = safeSegments(pathname);
      if (!segments) return sendText(res, 400, 'bad path');
      const last = segments[segments.length - 1] ?? '';
      const isRoute = !last.includes('.');
      const base = await resolveRoot();
      if (!base) {
        if (!isRoute) return sendText(res, 404, 'not found');
        return sendNotBuilt(res, dir);
      }
      let found = await findFile(base, segments);
      if (!found && isRoute) found = await findFile(base, ['index.html']);
      if (!found) return sendText(res, 404, 'not found');
      const cacheControl = found.rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
      await sendFile(req, res, found, cacheControl, cache);
    },
  };
}

/** Decoded path segments, or undefined for anything that could step outside the root. */
export function safeSegments(pathname: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined; // malformed %-escape: a bad request, not a file name
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\'))
    return undefined;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  return segments;
}

function parseAcceptEncoding(header: string | undefined): Set<Encoding> {
  const out = new Set<Encoding>();
  if (!header) return out;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === 'br' || name === '*') out.add('br');
    if (name === 'gzip' || name === '*') out.add('gzip');
  }
  return out;
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  found: Found,
  cacheControl: string,
  cache: FileCache,
): Promise<void> {
  res.setHeader('Cache-Control', cacheControl);
  const cached = cache.get(found.real, found.stat);
  if (!cached) return streamFile(req, res, found);
  const file = await cached;
  let body = file.body;
  let etag = file.etag;
  if (file.compressible) {
    res.setHeader('Vary', 'Accept-Encoding');
    const accepted = parseAcceptEncoding(req.headers['accept-encoding']);
    for (const enc of ['br', 'gzip'] as const) {
      if (!accepted.has(enc)) continue;
      const encoded = await file.encoded(enc);
      if (!encoded) continue;
      body = encoded;
      etag = `${file.etag.slice(0, -1)}-${enc}"`;
      res.setHeader('Content-Encoding', enc);
      break;
    }
  }
  res.setHeader('Content-Type', file.type);
  res.setHeader('ETag', etag);
  if (notModified(req, etag)) {
    res.removeHeader('Content-Encoding');
    res.writeHead(304).end();
    return;
  }
  res.setHeader('Content-Length', body.length);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notModified(req: IncomingMessage, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  return !!inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
}

function streamFile(req: IncomingMessage, res: ServerResponse, found: Found): Promise<void> {
  const type = contentTypeFor(found.rel.slice(found.rel.lastIndexOf('.')));
  const etag = etagFor(found.stat);
  res.setHeader('Content-Type', type);
  res.setHeader('ETag', etag);
  if (isCompressible(type)) res.setHeader('Vary', 'Accept-Encoding');
  if (notModified(req, etag)) {
    res.writeHead(304).end();
    return Promise.resolve();
  }
  res.setHeader('Content-Length', found.stat.size);
  res.writeHead(200);
  if (req.method === 'HEAD') {
    res.end();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const stream = createReadStream(found.real);
    stream.on('error', (e) => {
      res.destroy(e);
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text + '\n');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
  });
  res.end(body);
}

function sendNotBuilt(res: ServerResponse, dir: string): void {
  const body = Buffer.from(
    '<!doctype html><meta charset="utf-8"><title>Katya Mesh: not built</title>' +
      '<h1>The app is not built</h1>' +
      `<p>The static directory <code>${escapeHtml(dir)}</code> does not exist. ` +
      'Run <code>npm run build</code> (or set STATIC_DIR). Signaling is running.</p>\n',
  );
  res.writeHead(503, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
    'Retry-After': '30',
  });
  res.end(body);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
