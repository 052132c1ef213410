/** Entry of the storage bench worker: it only exposes the bench (storage-worker-api.ts). */
import * as Comlink from 'comlink';
import { createStorageBench } from './storage-worker-api.ts';

Comlink.expose(createStorageBench());
