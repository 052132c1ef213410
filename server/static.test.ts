import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';
import { startServer, type Started } from './test-support.ts';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, not fetch: fetch normalises '..' in paths and decodes bodies behind our back. */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const { port } = new URL(base);
  return new Promise<Raw>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'katya-static-'));
const root = join(tmp, 'dist');
const js = `export const x = ${JSON.stringify('mesh '.repeat(400))};\n`;
const html = `<!doctype html><title>Katya</title>${'<p>hello</p>'.repeat(50)}`;
let s: Started;

beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(tmp, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(root, 'index.html'), html);
  writeFileSync(join(root, 'assets', 'app-3f9a1c.js'), js);
  writeFileSync(join(root, 'assets', 'worker-77aa.mjs'), js);
  writeFileSync(join(root, 'assets', 'ort-1b2c.wasm'), Buffer.alloc(4096, 7));
  writeFileSync(join(root, 'sw.js'), js);
  writeFileSync(join(root, 'manifest.webmanifest'), '{"name":"Katya Mesh"}');
  writeFileSync(join(root, 'model.onnx'), Buffer.from([8, 1, 2, 3]));
  symlinkSync(join(tmp, 'secret.txt'), join(root, 'link.txt'));
  s = await startServer({ staticDir: root });
});
afterAll(async () => {
  await s.server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('static app serving', () => {
  it('serves index.html with isolation, CSP and no-cache', async () => {
    const r = await get(s.httpUrl, '/');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(html);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('caches hashed assets forever and everything else with revalidation', async () => {
    const asset = await get(s.httpUrl, '/assets/app-3f9a1c.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const path of ['/sw.js', '/manifest.webmanifest', '/model.onnx', '/index.html']) {
      expect((await get(s.httpUrl, path)).headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('uses the right content types', async () => {
    const types: Record<string, string> = {
      '/assets/worker-77aa.mjs': 'text/javascript; charset=utf-8',
      '/assets/ort-1b2c.wasm': 'application/wasm',
      '/manifest.webmanifest': 'application/manifest+json; charset=utf-8',
      '/model.onnx': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(types)) {
      expect((await get(s.httpUrl, path)).headers['content-type'], path).toBe(type);
    }
  });

  it('compresses with br and gzip, and the bodies decode to the file', async () => {
    const path = '/assets/app-3f9a1c.js';
    const br = await get(s.httpUrl, path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(js.length / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(js);

    const gz = await get(s.httpUrl, path, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(js);

    const refused = await get(s.httpUrl, path, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(js);
    expect(refused.headers['vary']).toBe('Accept-Encoding');

    const wasm = await get(s.httpUrl, '/assets/ort-1b2c.wasm', { 'accept-encoding': 'br' });
    expect(wasm.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(wasm.body).equals(Buffer.alloc(4096, 7))).toBe(true);
    // Model weights are not worth compressing.
    const onnx = await get(s.httpUrl, '/model.onnx', { 'accept-encoding': 'br' });
    expect(onnx.headers['content-encoding']).toBeUndefined();
  });

  it('supports HEAD and conditional requests per encoding', async () => {
    const head = await get(s.httpUrl, '/sw.js', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const etag = String(head.headers['etag']);
    const again = await get(s.httpUrl, '/sw.js', {
      'accept-encoding': 'gzip',
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    const otherEncoding = await get(s.httpUrl, '/sw.js', { 'if-none-match': etag });
    expect(otherEncoding.status).toBe(200);
  });

  it('falls back to index.html for routes and 404s missing assets', async () => {
    const route = await get(s.httpUrl, '/rooms/lobby');
    expect(route.status).toBe(200);
    expect(route.body.toString()).toBe(html);
    expect(route.headers['cache-control']).toBe('no-cache');
    const missing = await get(s.httpUrl, '/assets/gone-123.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses traversal, bad encodings and symlinks out of the root', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/%2E%2E/%2E%2E/secret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/secret.txt%00.js',
      '/%E0%A4%A',
      '/link.txt',
    ];
    for (const path of attempts) {
      const r = await get(s.httpUrl, path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body.toString(), path).not.toContain('SECRET');
    }
  });

  it('without a built app, signaling runs and / explains with a 503', async () => {
    const t = await startServer({ staticDir: join(tmp, 'not-built') });
    const r = await get(t.httpUrl, '/');
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toContain('npm run build');
    expect((await get(t.httpUrl, '/assets/app.js')).status).toBe(404);
    expect((await get(t.httpUrl, '/health')).status).toBe(200);
    await t.server.close();
  });
});
