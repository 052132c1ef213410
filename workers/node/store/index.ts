/** The node worker's storage tier: one import site for the composition root. */
export {
  openMeshDb,
  DEFAULT_DB_NAME,
  type MeshDb,
  type MeshDbSchema,
  type OpenMeshDbOptions,
} from './db.ts';
export { LATEST_VERSION } from './migrations.ts';
export { loadOrCreateIdentity, type DhKeys, type LoadedIdentity } from './identity-store.ts';
export { createMessageStore, type MessageStore, type PageOptions } from './message-store.ts';
export {
  createOutboxStore,
  backoffDelay,
  type OutboxStore,
  type BackoffOptions,
} from './outbox-store.ts';
export {
  createCarryStore,
  type CarryStore,
  type CarryLimits,
  type CarryOffer,
} from './carry-store.ts';
export { createPeerStore, type PeerStore, type PeerUpdate } from './peer-store.ts';
export { createSettingsStore, type SettingsStore } from './settings-store.ts';
export { LruCache, type LruCacheOptions, type CacheSetOptions, type EvictReason } from './cache.ts';
export { TieredCache, type L2Store, type TieredCacheOptions } from './tiered-cache.ts';
export { toStorageError } from './storage-errors.ts';
export type * from './types.ts';
