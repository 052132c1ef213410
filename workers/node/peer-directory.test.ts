import { describe, expect, it } from 'vitest';
import { createPeerDirectory } from './peer-directory.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const SELF = 'f'.repeat(32);

describe('peer directory', () => {
  it('merges room members and mesh reachability; never lists itself', () => {
    const d = createPeerDirectory(SELF);
    d.setRoomMembers([
      { peerId: A, name: 'alice' },
      { peerId: SELF, name: 'me' },
    ]);
    d.setMeshPeers([{ peerId: A, name: '', hops: 2, reachable: true, rttMs: 3 }]);
    expect(d.entries()).toEqual([{ peerId: A, name: 'alice', hops: 2, reachable: true, rttMs: 3 }]);
  });

  it('keeps a peer it met listed as unreachable after it leaves', () => {
    const d = createPeerDirectory(SELF);
    d.setMeshPeers([{ peerId: B, name: 'bob', hops: 1, reachable: true }]);
    d.setMeshPeers([]);
    d.setRoomMembers([]);
    expect(d.entries()).toEqual([
      { peerId: B, name: 'bob', hops: 0, reachable: false, rttMs: undefined },
    ]);
  });

  it('a room member without a route is listed unreachable with hops 0', () => {
    const d = createPeerDirectory(SELF);
    d.setRoomMembers([{ peerId: A, name: 'alice' }]);
    expect(d.entries()[0]).toMatchObject({ reachable: false, hops: 0 });
    expect(d.roomMembers()).toEqual([A]);
  });
});
