/**
 * What each signed frame's signature covers, and helpers that build signed frames.
 *
 * - advert/data/signal/broadcast: the frame's own encoding with ttl, hops, advert age and the
 *   broadcast relay list zeroed (writeFrame(f, true)). The header's version and type are inside,
 *   so a signature for one frame type can never be replayed as another.
 * - link proof: PROOF_CONTEXT | signer id | verifier id | signer nonce | verifier nonce. The
 *   verifier's nonce is fresh per handshake, so a proof recorded on another link (or an earlier
 *   handshake) fails; naming the verifier stops a relay of the proof to a third peer.
 */
import { concatBytes, fromHex } from './bytes.ts';
import { writeFrame } from './frame.ts';
import type { AdvertFrame, BroadcastFrame, RoutedFrame } from './frame-types.ts';
import type { Identity } from './identity.ts';

export const PROOF_CONTEXT = new TextEncoder().encode('katya-mesh/link-proof/v1');

export type SignedFrame = AdvertFrame | RoutedFrame | BroadcastFrame;

export function signableBytes(f: SignedFrame): Uint8Array {
  return writeFrame(f, true);
}

export function proofBytes(
  signerId: string,
  verifierId: string,
  signerNonce: Uint8Array,
  verifierNonce: Uint8Array,
): Uint8Array {
  const a = fromHex(signerId) ?? new Uint8Array(0);
  const b = fromHex(verifierId) ?? new Uint8Array(0);
  return concatBytes(PROOF_CONTEXT, a, b, signerNonce, verifierNonce);
}

const NO_SIG = new Uint8Array(64);

export async function signAdvert(
  identity: Identity,
  a: Omit<AdvertFrame, 'type' | 'sig' | 'publicKey' | 'origin'>,
): Promise<AdvertFrame> {
  const f: AdvertFrame = {
    ...a,
    type: 'advert',
    origin: identity.peerId,
    publicKey: identity.publicKey,
    sig: NO_SIG,
  };
  return { ...f, sig: await identity.sign(signableBytes(f)) };
}

export async function signRouted(
  identity: Identity,
  r: Omit<RoutedFrame, 'sig' | 'src'>,
): Promise<RoutedFrame> {
  const f: RoutedFrame = { ...r, src: identity.peerId, sig: NO_SIG };
  return { ...f, sig: await identity.sign(signableBytes(f)) };
}

export async function signBroadcast(
  identity: Identity,
  b: Omit<BroadcastFrame, 'type' | 'sig' | 'src'>,
): Promise<BroadcastFrame> {
  const f: BroadcastFrame = { ...b, type: 'broadcast', src: identity.peerId, sig: NO_SIG };
  return { ...f, sig: await identity.sign(signableBytes(f)) };
}
