/**
 * Shares the immutable parts of identical accepted adverts (key, signature, links, peer map):
 * a node keeps one advert per origin, but the parsed copies it replaces, and — in the
 * simulator, where a thousand nodes share this module — every node's copy of the same advert
 * would otherwise each hold their own bytes and arrays. Only called after the signature
 * verified, so an equal (origin, seq, key, signature) means an equal advert. Bounded.
 */
import { equalBytes } from '../../../src/protocol/bytes.ts';
import type { AdvertFrame } from '../../../src/protocol/frame.ts';

interface Shared {
  seq: number;
  publicKey: Uint8Array;
  sig: Uint8Array;
  links: AdvertFrame['links'];
  peers: Map<string, number>;
}

const CAP = 16_384;
const byOrigin = new Map<string, Shared>();

/** The advert with shared parts, and its peer map (shared too: callers must not mutate it). */
export function shareAdvert(frame: AdvertFrame): {
  frame: AdvertFrame;
  peers: Map<string, number>;
} {
  const hit = byOrigin.get(frame.origin);
  if (
    hit !== undefined &&
    hit.seq === frame.seq &&
    equalBytes(hit.sig, frame.sig) &&
    equalBytes(hit.publicKey, frame.publicKey)
  ) {
    return {
      frame: { ...frame, publicKey: hit.publicKey, sig: hit.sig, links: hit.links },
      peers: hit.peers,
    };
  }
  const peers = new Map<string, number>();
  for (const l of frame.links) if (l.peer !== frame.origin) peers.set(l.peer, l.cost);
  if (hit === undefined || hit.seq < frame.seq) {
    if (hit === undefined && byOrigin.size >= CAP) byOrigin.delete(byOrigin.keys().next().value!);
    byOrigin.set(frame.origin, {
      seq: frame.seq,
      publicKey: frame.publicKey,
      sig: frame.sig,
      links: frame.links,
      peers,
    });
  }
  return { frame, peers };
}
