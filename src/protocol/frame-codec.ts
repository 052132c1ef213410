/**
 * Byte-level reader/writer for the frame format. The reader never throws: every read checks the
 * remaining length and, on a short buffer, latches `truncated` so a parser can read a whole
 * layout and check once at the end (a peer may send garbage often; exceptions are too costly on
 * that path and too easy to forget to catch).
 */
import { toHex } from './bytes.ts';

const HEX_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[97 + i] = 10 + i;
  return t;
})();

const INTERN_CAP = 65_536;
const INTERNED = new Map<string, string>();

export class FrameReader {
  private offset = 0;
  /** Set once any read ran past the end; all later reads return zeros/empties. */
  truncated = false;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private take(n: number): number {
    if (this.truncated || this.offset + n > this.bytes.length) {
      this.truncated = true;
      return -1;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getUint8(at);
  }
  u16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.view.getUint16(at);
  }
  u32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.view.getUint32(at);
  }
  f64(): number {
    const at = this.take(8);
    return at < 0 ? 0 : this.view.getFloat64(at);
  }
  /** A copy, so a parsed frame never aliases a buffer the transport may reuse. */
  bytesOf(n: number): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(0) : this.bytes.slice(at, at + n);
  }
  hex(n: number): string {
    const at = this.take(n);
    return at < 0 ? '' : toHex(this.bytes.subarray(at, at + n));
  }
  /**
   * A peer id (hex), interned: a node holds the same ids in thousands of parsed adverts, and
   * one shared string per id keeps a large link-state database small. Bounded, so ids a peer
   * invents cannot grow it without limit (past the cap, ids are simply not shared).
   */
  id(n: number): string {
    const s = this.hex(n);
    const hit = INTERNED.get(s);
    if (hit !== undefined) return hit;
    if (INTERNED.size < INTERN_CAP) INTERNED.set(s, s);
    return s;
  }
  /** u8 length + UTF-8; invalid sequences become U+FFFD rather than failing the frame. */
  shortText(): string {
    const n = this.u8();
    const at = this.take(n);
    return at < 0 ? '' : new TextDecoder().decode(this.bytes.subarray(at, at + n));
  }
}

export class FrameWriter {
  private buf: Uint8Array;
  private view: DataView;
  private offset = 0;

  constructor(sizeHint = 256) {
    this.buf = new Uint8Array(sizeHint);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): number {
    if (this.offset + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.offset + n));
      next.set(this.buf.subarray(0, this.offset));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(v: number): this {
    const at = this.ensure(1);
    this.view.setUint8(at, v);
    return this;
  }
  u16(v: number): this {
    const at = this.ensure(2);
    this.view.setUint16(at, v);
    return this;
  }
  u32(v: number): this {
    const at = this.ensure(4);
    this.view.setUint32(at, v >>> 0);
    return this;
  }
  f64(v: number): this {
    const at = this.ensure(8);
    this.view.setFloat64(at, v);
    return this;
  }
  bytes(b: Uint8Array): this {
    const at = this.ensure(b.length); // first: ensure() may swap this.buf for a bigger one
    this.buf.set(b, at);
    return this;
  }
  /**
   * Fixed-width hex id. The caller validated the id (a frame built by us); a short or non-hex
   * string would silently corrupt the frame, so it is zero-filled — the signature then fails.
   */
  hex(s: string, n: number): this {
    const at = this.ensure(n);
    for (let i = 0; i < n; i++) {
      const hi = HEX_VALUE[s.charCodeAt(i * 2)] ?? -1;
      const lo = HEX_VALUE[s.charCodeAt(i * 2 + 1)] ?? -1;
      this.buf[at + i] = hi < 0 || lo < 0 ? 0 : (hi << 4) | lo;
    }
    return this;
  }
  /** u8 length + UTF-8, cut to 255 bytes on a code-point boundary. */
  shortText(s: string): this {
    let enc = new TextEncoder().encode(s);
    if (enc.length > 255) {
      let cut = 255;
      while (cut > 0 && (enc[cut]! & 0xc0) === 0x80) cut--;
      enc = enc.subarray(0, cut);
    }
    return this.u8(enc.length).bytes(enc);
  }

  get length(): number {
    return this.offset;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
}
