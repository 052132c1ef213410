/**
 * Built files are immutable per build, so each is read once and each compressed form is made
 * once (on first demand, in libuv's pool) and kept in memory. An entry is keyed by real path and
 * revalidated against size+mtime, so a rebuild under a running server is picked up.
 */
import { readFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { contentTypeFor, isCompressible } from './mime.ts';
import { extname } from 'node:path';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type Encoding = 'br' | 'gzip';

/** Below this, headers dominate and compression only costs CPU. */
const MIN_COMPRESS_BYTES = 256;
/** Max quality is affordable for app-sized files; multi-MB WASM would take tens of seconds. */
const MAX_QUALITY_BYTES = 512 * 1024;

export interface CachedFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly compressible: boolean;
  /** The encoded body, or undefined when encoding does not make it smaller. */
  encoded(enc: Encoding): Promise<Buffer | undefined>;
}

interface Entry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly file: Promise<CachedFile>;
}

export interface FileCacheOptions {
  /** Larger files are streamed from disk, uncompressed and uncached. */
  maxFileBytes: number;
  /** Total bytes of originals kept; beyond it files are read per request. */
  maxTotalBytes: number;
}

export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(private readonly opts: FileCacheOptions) {}

  /** Undefined means: too big to cache, stream it. */
  get(realPath: string, stat: Stats): Promise<CachedFile> | undefined {
    const hit = this.entries.get(realPath);
    if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return hit.file;
    if (stat.size > this.opts.maxFileBytes) return undefined;
    const file = load(realPath, stat);
    if (hit) this.total -= hit.size;
    if (this.total + stat.size <= this.opts.maxTotalBytes) {
      this.entries.set(realPath, { size: stat.size, mtimeMs: stat.mtimeMs, file });
      this.total += stat.size;
      // A failed read must not stay cached.
      file.catch(() => {
        if (this.entries.get(realPath)?.file === file) {
          this.entries.delete(realPath);
          this.total -= stat.size;
        }
      });
    } else if (hit) {
      this.entries.delete(realPath);
    }
    return file;
  }
}

export function etagFor(stat: Stats): string {
  return `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
}

async function load(realPath: string, stat: Stats): Promise<CachedFile> {
  const body = await readFile(realPath);
  const type = contentTypeFor(extname(realPath));
  const compressible = isCompressible(type) && body.length >= MIN_COMPRESS_BYTES;
  const encodings = new Map<Encoding, Promise<Buffer | undefined>>();
  return {
    body,
    type,
    etag: etagFor(stat),
    compressible,
    encoded(enc) {
      if (!compressible) return Promise.resolve(undefined);
      let p = encodings.get(enc);
      if (!p) {
        p = compress(body, enc, type).then((out) => (out.length < body.length ? out : undefined));
        encodings.set(enc, p);
      }
      return p;
    },
  };
}

function compress(body: Buffer, enc: Encoding, type: string): Promise<Buffer> {
  const best = body.length <= MAX_QUALITY_BYTES;
  if (enc === 'gzip') return gz(body, { level: best ? 9 : 6 });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: best ? 11 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]:
        type === 'application/wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
}
