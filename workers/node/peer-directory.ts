/**
 * Every peer this device has met, merged from two sources: the signaling server's room list
 * (names, and who is around to dial) and the mesh (reachability, hops, RTT). A peer once met stays
 * listed after it leaves (unreachable) so its conversation can still be opened.
 */
import type { PeerEntry } from './api.ts';

export interface MeshPeerView {
  peerId: string;
  name: string;
  hops: number;
  reachable: boolean;
  rttMs?: number;
}

export interface PeerDirectory {
  /** Peers the signaling server says are in the room now. */
  setRoomMembers(members: { peerId: string; name: string }[]): void;
  setMeshPeers(peers: MeshPeerView[]): void;
  nameOf(peerId: string): string;
  learnName(peerId: string, name: string): void;
  roomMembers(): string[];
  entries(): PeerEntry[];
}

export function createPeerDirectory(selfId: string): PeerDirectory {
  const names = new Map<string, string>();
  const met = new Set<string>();
  let members = new Set<string>();
  let mesh = new Map<string, MeshPeerView>();

  const learnName = (peerId: string, name: string) => {
    if (peerId === selfId) return;
    met.add(peerId);
    if (name) names.set(peerId, name);
  };

  return {
    setRoomMembers(list) {
      members = new Set(list.filter((m) => m.peerId !== selfId).map((m) => m.peerId));
      for (const m of list) learnName(m.peerId, m.name);
    },
    setMeshPeers(peers) {
      mesh = new Map(peers.filter((p) => p.peerId !== selfId).map((p) => [p.peerId, p]));
      for (const p of peers) learnName(p.peerId, p.name);
    },
    nameOf: (peerId) => names.get(peerId) ?? '',
    learnName,
    roomMembers: () => [...members],
    entries() {
      return [...met].map((peerId) => {
        const m = mesh.get(peerId);
        const reachable = m?.reachable ?? false;
        return {
          peerId,
          name: names.get(peerId) ?? m?.name ?? '',
          hops: reachable ? m!.hops : 0,
          reachable,
          rttMs: m?.rttMs,
        };
      });
    },
  };
}
