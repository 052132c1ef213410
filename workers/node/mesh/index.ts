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
