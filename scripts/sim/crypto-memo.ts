/**
 * Shared crypto for simulated nodes: a memoised verifier and signing identities that count
 * their in-flight WebCrypto calls (so the virtual clock knows when async work has settled).
 *
 * Verification is a pure function of (public key, signature, data), so sharing one memo across
 * all simulated nodes changes no node's behaviour — only the wall-clock cost: a 1,000-node
 * flood verifies each advert once instead of 1,000 times. The memo is bucketed by signature
 * bits and confirmed by comparing signature, key and data bytes, so a forged frame that reuses
 * a valid signature over different data does not hit.
 */
import { equalBytes } from '../../src/protocol/bytes.ts';
import { generateIdentity, verifySignature, type Identity } from '../../src/protocol/identity.ts';
import { rememberKeyId } from '../../workers/node/mesh/keyid.ts';
import type { Verify } from '../../workers/node/mesh/types.ts';

export class SimCrypto {
  inFlight = 0;
  realVerifies = 0;
  memoHits = 0;
  private readonly memo = new Map<
    number,
    { key: Uint8Array; data: Uint8Array; sig: Uint8Array; ok: boolean }[]
  >();

  readonly verify: Verify = async (key, sig, data) => {
    // 48 bits of the signature pick the bucket; the entry's bytes are compared in full.
    const k =
      sig.length >= 6
        ? (sig[0]! | (sig[1]! << 8) | (sig[2]! << 16)) * 16777216 +
          (sig[3]! | (sig[4]! << 8) | (sig[5]! << 16))
        : -1;
    const list = this.memo.get(k);
    if (list) {
      for (const e of list) {
        if (equalBytes(e.sig, sig) && equalBytes(e.key, key) && equalBytes(e.data, data)) {
          this.memoHits++;
          return e.ok;
        }
      }
    }
    this.inFlight++;
    this.realVerifies++;
    try {
      const ok = await verifySignature(key, sig, data);
      const entry = { key: key.slice(), data: data.slice(), sig: sig.slice(), ok };
      if (list) list.push(entry);
      else this.memo.set(k, [entry]);
      return ok;
    } finally {
      this.inFlight--;
    }
  };

  /** A fresh identity whose sign() is counted; its key → id mapping is pre-seeded in keyid.ts. */
  async identity(): Promise<Identity> {
    const base = await generateIdentity();
    rememberKeyId(base.publicKey, base.peerId);
    return {
      peerId: base.peerId,
      publicKey: base.publicKey,
      keyPair: base.keyPair,
      sign: async (data) => {
        this.inFlight++;
        try {
          return await base.sign(data);
        } finally {
          this.inFlight--;
        }
      },
    };
  }
}
