/**
 * Who holds which keys: the identity key (verifies receipts) and the X25519 key (to seal direct
 * messages) of every peer we have exchanged cards with. Cards are fetched lazily when a peer
 * becomes reachable, verified (self-certifying: the key hashes to the peer id), persisted in the
 * peer store and served from an LRU in front of it: sealing and receipt checks hit this on every
 * message.
 */
import { encodeCard, verifyCard, type Card } from '../../src/protocol/app-message.ts';
import type { PeerStore } from './store/peer-store.ts';
import { TieredCache } from './store/tiered-cache.ts';
import type { PeerRecord } from './store/types.ts';

export interface PeerKeys {
  publicKey: Uint8Array;
  dhPublicKey: Uint8Array;
}

export interface KeyDirectoryOptions {
  peers: PeerStore;
  ownCard: Card;
  /** Sends an app message directly (routed) to `to`; false when there is no route. */
  send(to: string, body: Uint8Array): boolean;
  now?: () => number;
  /** A card request unanswered this long may be repeated. */
  retryMs?: number;
}

export function createKeyDirectory(opts: KeyDirectoryOptions) {
  const now = opts.now ?? Date.now;
  const retryMs = opts.retryMs ?? 10_000;
  // L1 (memory, bounded, 10 min TTL) over L2 (the peer store): sealing and receipt checks hit
  // this on every direct message.
  const cache = new TieredCache<PeerRecord>({
    maxEntries: 2_000,
    ttlMs: 10 * 60_000,
    now,
    l2: { load: (peerId) => opts.peers.get(peerId) },
  });
  const asked = new Map<string, number>();
  const waiters = new Set<(peerId: string) => void>();

  const lookup = (peerId: string): Promise<PeerRecord | undefined> => cache.get(peerId);

  return {
    async keysOf(peerId: string): Promise<PeerKeys | undefined> {
      const rec = await lookup(peerId);
      return rec?.dhPublicKey
        ? { publicKey: rec.publicKey, dhPublicKey: rec.dhPublicKey }
        : undefined;
    },

    /** Asks `peerId` for its card unless we have it or asked recently. */
    async ensure(peerId: string): Promise<void> {
      if ((await lookup(peerId))?.dhPublicKey) return;
      const t = now();
      if (t - (asked.get(peerId) ?? -Infinity) < retryMs) return;
      if (opts.send(peerId, encodeCard(opts.ownCard, true))) asked.set(peerId, t);
    },

    /** A card arrived from `from`. Returns false (and stores nothing) if it is not theirs. */
    async learn(from: string, card: Card, name?: string): Promise<boolean> {
      if (!(await verifyCard(card, from))) return false;
      const rec = await opts.peers.upsert(
        {
          peerId: from,
          publicKey: card.publicKey,
          dhPublicKey: card.dhPublicKey,
          ...(name ? { name } : {}),
        },
        now(),
      );
      // Written by upsert already; refresh L1 only (what depended on the old keys goes too).
      cache.invalidate(from);
      cache.l1.set(from, rec);
      asked.delete(from);
      for (const w of waiters) w(from);
      return true;
    },

    answer(to: string): boolean {
      return opts.send(to, encodeCard(opts.ownCard, false));
    },

    /** Called with a peer id whenever its card becomes known. */
    onLearned(cb: (peerId: string) => void): () => void {
      waiters.add(cb);
      return () => waiters.delete(cb);
    },
  };
}

export type KeyDirectory = ReturnType<typeof createKeyDirectory>;
