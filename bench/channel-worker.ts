/** Entry of the channel bench's node worker: it only exposes the API (channel-worker-api.ts). */
import * as Comlink from 'comlink';
import { createChannelWorkerApi } from './channel-worker-api.ts';

Comlink.expose(createChannelWorkerApi());
