/**
 * Draws the app icon (a small mesh: five nodes and their links) and writes the PNG sizes the web
 * manifest needs, plus a maskable variant whose art stays inside the 80% safe zone. No image
 * tooling is needed: a 4x4-supersampled rasteriser and a minimal PNG encoder (zlib from Node).
 * Run: npx tsx scripts/make-icons.ts (outputs are committed under public/icons).
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type RGB = [number, number, number];
const BG: RGB = [15, 20, 25];
const LINK: RGB = [90, 169, 255];
const NODE: RGB = [76, 194, 160];

const NODES: [number, number][] = [
  [0.5, 0.2],
  [0.8, 0.42],
  [0.68, 0.78],
  [0.32, 0.78],
  [0.2, 0.42],
];
const LINKS: [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [4, 0],
  [0, 2],
  [1, 3],
  [4, 2],
];

function distToSegment(px: number, py: number, a: [number, number], b: [number, number]): number {
  const [ax, ay] = a;
  const [bx, by] = b;
  const t = Math.max(
    0,
    Math.min(
      1,
      ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2),
    ),
  );
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

/** Colour of one sample at unit coordinates (u, v); `scale` shrinks the art towards the centre. */
function sample(u: number, v: number, scale: number, rounded: boolean): RGB | undefined {
  if (rounded) {
    const r = 0.18;
    const cx = Math.min(Math.max(u, r), 1 - r);
    const cy = Math.min(Math.max(v, r), 1 - r);
    if (Math.hypot(u - cx, v - cy) > r) return undefined; // transparent corner
  }
  const x = 0.5 + (u - 0.5) / scale;
  const y = 0.5 + (v - 0.5) / scale;
  for (const [nx, ny] of NODES) if (Math.hypot(x - nx, y - ny) < 0.075) return NODE;
  for (const [i, j] of LINKS) if (distToSegment(x, y, NODES[i]!, NODES[j]!) < 0.018) return LINK;
  return BG;
}

function render(size: number, scale: number, rounded: boolean): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = sample(
            (x + (sx + 0.5) / S) / size,
            (y + (sy + 0.5) / S) / size,
            scale,
            rounded,
          );
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const o = (y * size + x) * 4;
      if (a > 0) {
        px[o] = r / a;
        px[o + 1] = g / a;
        px[o + 2] = b / a;
      }
      px[o + 3] = Math.round((255 * a) / (S * S));
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.subarray(y * size * 4, (y + 1) * size * 4)).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

const outputs: [string, number, number, boolean][] = [
  ['public/icons/icon-192.png', 192, 1, true],
  ['public/icons/icon-512.png', 512, 1, true],
  ['public/icons/maskable-512.png', 512, 0.72, false],
  ['public/icons/apple-touch-icon.png', 180, 1, false],
  ['public/favicon-32.png', 32, 1, true],
];
for (const [file, size, scale, rounded] of outputs) {
  writeFileSync(file, png(size, render(size, scale, rounded)));
  console.log(`wrote ${file}`);
}
