import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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
  plugins: [
    VitePWA({
      // 'prompt': a new version waits until the user says reload (src/pwa.ts), so a chat in
      // progress is never swapped out from under them; it is never stuck either (banner).
      registerType: 'prompt',
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['favicon-32.png', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'Katya Mesh',
        short_name: 'Katya',
        description:
          'Peer-to-peer messenger that runs in your browser, with no server holding your messages.',
        start_url: '/?room=lobby',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#0f1419',
        theme_color: '#0f1419',
        categories: ['social', 'communication'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,wasm,onnx,json,png,svg,webmanifest}'],
        // The onnxruntime wasm is ~15 MB: Workbox's 2 MiB default would silently skip it.
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(signal|health|ready|metrics)/],
        cleanupOutdatedCaches: true,
        // The first visit is controlled at once, so going offline right after it still works.
        clientsClaim: true,
      },
    }),
  ],
});
