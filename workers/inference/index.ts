/** Inference worker entry: only exposes the API (see api.ts). */
import * as Comlink from 'comlink';
import { createInferenceApi } from './api.ts';
import { createOrtEngine } from './engine.ts';
import { fetchModelSource } from './fetch-source.ts';
import { loadOrtWeb } from './ort-web.ts';

const source = fetchModelSource('/models/spam-model.json');
Comlink.expose(
  createInferenceApi({ engine: createOrtEngine(loadOrtWeb, source), card: source.card }),
);
