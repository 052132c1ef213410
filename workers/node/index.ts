/** Entry of the node worker: it only exposes the service (see api.ts for the contract). */
import * as Comlink from 'comlink';
import { createNodeService } from './node-service.ts';

Comlink.expose(createNodeService());
