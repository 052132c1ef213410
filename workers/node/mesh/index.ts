/**
 * Mesh core public API. Transport-agnostic: the node sees `Link`s only.
 *
 * ```ts
 * const node = createMeshNode({ identity, name, minLinks, maxLinks, clock?, verify?, random?, ...timing });
 * node.addLink(link)                 // authenticated handshake; failure closes it with a typed reason
 * node.sendDirect(to, body)          // → { msgId, routed }  routed=false: no route now, retry later
 * node.broadcast(body)               // → { msgId }  room-wide, multipoint-relay flooding
 * node.onMessage(cb)                 // each (src, msg id) delivered at most once
 * node.peers() / onPeersChanged(cb)  // PeerView: hops (1 direct, 0 unreachable), rtt, next hop
 * node.topology() / route(to) / routes(tos)
 * node.onWantLink(cb)                // topology control asks the host to open a link to a peer
 * node.sendSignal(to, data) / onSignal(cb)   // WebRTC re-signaling carried through the mesh
 * node.stats() / close()
 * ```
 * Every subscribe returns its disposer.
 *
 * Inside (one idea per file):
 * - session.ts      link handshake (hello/proof over both nonces and ids), ping/pong, bye,
 *                   malformed-frame accounting; link-cost.ts turns RTTs into a cost
 * - adverts.ts      signed link-state adverts: dedupe by (origin, seq) before verifying, MPR
 *                   flooding (relays.ts), hold-down, age-out, database sync on link up + every
 *                   syncIntervalMs (anti-entropy)
 * - core.ts         state + routing: PeerGraph/RouteTable from ../routing, SPF-style throttled
 *                   recompute, our own links taken live from the sessions
 * - forwarding.ts   routed unicast and signals: O(1) next hop, ttl, verified at the destination
 * - broadcaster.ts  broadcasts along the source-rooted tree (broadcast-tree.ts, relaying.ts),
 *                   with lazy ihave/iwant repair (broadcast-repair.ts)
 * - topology.ts     degree targets, cut-vertex repair, partition healing, safe pruning
 * - memory-link.ts  in-memory Link pairs; link-contract.ts is the shared Link test suite (import
 *                   it from tests directly: it imports vitest, so it is not re-exported here)
 *
 * Wire format: src/protocol/frame-types.ts (layout), frame.ts (encode/parse),
 * frame-signing.ts (what each signature covers).
 */
export { createMeshNode } from './node.ts';
export { DEFAULT_MAX_LINKS, DEFAULT_MIN_LINKS, DEFAULT_TIMING } from './config.ts';
export { createMemoryLinkPair } from './memory-link.ts';
export type { MemoryLinkOptions, MemoryLinkPair } from './memory-link.ts';
export { realClock } from './util.ts';
export type {
  Clock,
  MeshMessage,
  MeshNode,
  MeshNodeOptions,
  MeshStats,
  MeshTiming,
  PeerView,
  TimerHandle,
  TopologyView,
  Verify,
} from './types.ts';
