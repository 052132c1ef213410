/**
 * Defaults. The degree and interval choices are backed by the simulator (scripts/sim, see the
 * figures in scripts/sim/README.md): minLinks 3 / maxLinks 6 keeps a 1,000-node mesh 2-connected
 * with a diameter around 8 while each browser holds few RTCPeerConnections (each costs memory and
 * a DTLS/SCTP stack); more links cut the diameter little and multiply advert size and flooding.
 */
import { randomId } from '../../../src/protocol/bytes.ts';
import { verifySignature } from '../../../src/protocol/identity.ts';
import type { Identity } from '../../../src/protocol/identity.ts';
import type { Clock, MeshNodeOptions, MeshTiming, Verify } from './types.ts';
import { makeMsgId, realClock } from './util.ts';

export const DEFAULT_TIMING: MeshTiming = {
  pingIntervalMs: 5_000,
  linkDeadMs: 20_000,
  // Changes are flooded at once and neighbours report departures, so the periodic refresh only
  // garbage-collects adverts of vanished origins; the database sync (syncIntervalMs) heals any
  // advert a flood missed. Long intervals, as in OSPF (30 min / 60 min): refresh flooding costs
  // every node O(n) frames per period.
  advertRefreshMs: 600_000,
  advertLifetimeS: 1_800,
  syncIntervalMs: 60_000,
  routeDebounceMs: 25,
  routeHoldMaxMs: 800,
  advertDebounceMs: 50,
  advertHoldMaxMs: 2_000,
  handshakeTimeoutMs: 10_000,
  topologyIntervalMs: 3_000,
  hopLimit: 32,
  repairDigestMs: 1_000,
};

export const DEFAULT_MIN_LINKS = 3;
export const DEFAULT_MAX_LINKS = 6;

export interface MeshConfig extends MeshTiming {
  identity: Identity;
  name: string;
  minLinks: number;
  maxLinks: number;
  linkSlack: number;
  clock: Clock;
  verify: Verify;
  random: () => number;
  newMsgId: () => string;
  malformedLimit: number;
  topologyControl: boolean;
}

export function resolveConfig(o: MeshNodeOptions): MeshConfig {
  // An explicit cap wins over the default floor (`&maxLinks=1` in the URL means one link).
  const maxLinks = Math.max(1, o.maxLinks ?? Math.max(DEFAULT_MAX_LINKS, o.minLinks ?? 0));
  const minLinks = Math.max(1, Math.min(maxLinks, o.minLinks ?? DEFAULT_MIN_LINKS));
  const random = o.random ?? Math.random;
  const timing: MeshTiming = { ...DEFAULT_TIMING };
  for (const k of Object.keys(DEFAULT_TIMING) as (keyof MeshTiming)[]) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) timing[k] = v;
  }
  timing.hopLimit = Math.min(255, Math.max(1, Math.floor(timing.hopLimit)));
  timing.advertLifetimeS = Math.min(65535, Math.max(1, Math.floor(timing.advertLifetimeS)));
  return {
    ...timing,
    identity: o.identity,
    name: o.name ?? '',
    minLinks,
    maxLinks,
    linkSlack: o.linkSlack ?? 2,
    clock: o.clock ?? realClock,
    verify: o.verify ?? verifySignature,
    random,
    // Injected randomness (the simulator's seeded PRNG) makes runs reproducible; otherwise ids
    // come from the CSPRNG.
    newMsgId: o.random ? () => makeMsgId(random) : randomId,
    malformedLimit: o.malformedLimit ?? 8,
    topologyControl: o.topologyControl ?? true,
  };
}
