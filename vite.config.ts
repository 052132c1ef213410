import { defineConfig } from 'vite';

/** Cross-origin isolation: WASM threads and precise performance.now() need it (RECIPES.md). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // simple-peer@9 expects Node's `global`; `process` is set in src/net/polyfills.ts first.
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: {
    headers: isolationHeaders,
    // `npm run dev` runs the signaling server beside vite; the app reaches it through this proxy.
    proxy: { '/signal': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
  preview: { headers: isolationHeaders },
});
