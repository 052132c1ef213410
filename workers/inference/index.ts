/**
 * Inference worker entry: only exposes the API (see api.ts) — on its own scope (the page and
 * benchmarks call it directly) and on every MessagePort it is handed, which is how the node
 * worker gets a direct Comlink line to it without the main thread relaying each message.
 */
import * as Comlink from 'comlink';
import { createInferenceApi } from './api.ts';
import { createOrtEngine } from './engine.ts';
import { fetchModelSource } from './fetch-source.ts';
import { loadOrtWeb } from './ort-web.ts';
import { isConnectMessage } from './connect.ts';

const source = fetchModelSource('/models/spam-model.json');
const api = createInferenceApi({ engine: createOrtEngine(loadOrtWeb, source), card: source.card });
Comlink.expose(api);
self.addEventListener('message', (ev: MessageEvent) => {
  if (isConnectMessage(ev.data)) Comlink.expose(api, ev.data.port);
});
