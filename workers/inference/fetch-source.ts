/** Model card and model bytes over fetch (same origin, `/models/…`), the card fetched once. */
import { MeshError } from '../../src/protocol/errors.ts';
import type { ModelSource } from './engine.ts';
import { parseModelCard } from './model-card.ts';
import type { ModelCard } from './model-card.ts';

async function get(path: string): Promise<Response> {
  const res = await fetch(path);
  if (!res.ok) throw new MeshError('internal', `GET ${path}: HTTP ${res.status}`);
  return res;
}

export function fetchModelSource(cardPath: string): ModelSource {
  let card: Promise<ModelCard> | undefined;
  return {
    card() {
      card ??= get(cardPath).then(async (r) => parseModelCard(await r.json()));
      card.catch(() => (card = undefined));
      return card;
    },
    async bytes(path) {
      return new Uint8Array(await (await get(path)).arrayBuffer());
    },
  };
}
