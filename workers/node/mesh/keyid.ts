/**
 * Peer id of a public key (SHA-256, async in WebCrypto), memoised: it is a pure function, and a
 * node meets each origin's key in every advert it hears. Bounded so a flood of invented keys
 * cannot grow it without limit. (The simulator's nodes share this module, and with it the memo;
 * a shared memo of a pure function changes no behaviour, only the wall-clock cost.)
 */
import { toHex } from '../../../src/protocol/bytes.ts';
import { peerIdFromPublicKey } from '../../../src/protocol/identity.ts';

const CAP = 8_192;
const cache = new Map<string, string>();

export async function peerIdOfKey(publicKey: Uint8Array): Promise<string> {
  const hex = toHex(publicKey);
  const hit = cache.get(hex);
  if (hit !== undefined) return hit;
  const id = await peerIdFromPublicKey(publicKey);
  remember(hex, id);
  return id;
}

/** Seeds the memo with an id already derived by its owner (e.g. an Identity built locally). */
export function rememberKeyId(publicKey: Uint8Array, peerId: string): void {
  remember(toHex(publicKey), peerId);
}

function remember(hex: string, id: string): void {
  if (cache.size >= CAP) cache.delete(cache.keys().next().value!);
  cache.set(hex, id);
}
