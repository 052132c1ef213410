/**
 * onnxruntime-web (WASM backend) for the worker, configured on first use, never at import time.
 * The wasm and its .mjs loader are served by our own origin (Vite `?url` assets): nothing is
 * fetched from a CDN, and the production build starts ORT's pthread workers from the right file.
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import type { OrtLike } from './engine.ts';

let loading: Promise<OrtLike> | undefined;

export function loadOrtWeb(): Promise<OrtLike> {
  loading ??= import('onnxruntime-web/wasm').then((ort) => {
    ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };
    // We already are off the main thread; ORT's own proxy worker would only add a hop.
    ort.env.wasm.proxy = false;
    // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP/COEP); otherwise ORT
    // would warn and fall back anyway. Two threads at most: the model is small and the mesh node
    // worker needs a core too.
    ort.env.wasm.numThreads = self.crossOriginIsolated
      ? Math.min(2, navigator.hardwareConcurrency || 1)
      : 1;
    return ort as unknown as OrtLike;
  });
  return loading;
}
