/**
 * A Vite dev server for a benchmark page: on a free loopback port, with its own dependency cache
 * and no file watching (others may be editing this checkout while a bench runs; a reload in the
 * middle of a measurement would spoil it).
 */
import { createServer as createNetServer } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';

export const REPO_ROOT = new URL('..', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface BenchViteOptions {
  /** The bench page, e.g. 'bench/channel.html': its imports are pre-bundled up front. */
  entry: string;
  include: string[];
  exclude?: string[];
  cacheDir: string;
}

export async function startBenchVite(
  o: BenchViteOptions,
): Promise<{ server: ViteDevServer; url: string }> {
  const port = await freePort();
  const server = await createServer({
    root: REPO_ROOT,
    logLevel: 'warn',
    cacheDir: o.cacheDir,
    // Pre-bundle up front: a dependency discovered mid-run would reload the page.
    optimizeDeps: { entries: [o.entry], include: o.include, exclude: o.exclude },
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  return { server, url: `http://127.0.0.1:${port}` };
}
