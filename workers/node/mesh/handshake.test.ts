import { describe, expect, it } from 'vitest';
import { connect, makeNodes, rawPeerFor, until } from './testing.ts';
import { createMemoryLinkPair } from './memory-link.ts';
import { generateIdentity } from '../../../src/protocol/identity.ts';

function closeReasonOf(link: { onClose(h: (r: string) => void): () => void }) {
  const box: { reason?: string } = {};
  link.onClose((r) => (box.reason = r));
  return box;
}

describe('link handshake', () => {
  it('two honest nodes become neighbours and see each other at 1 hop', async () => {
    const { nodes } = await makeNodes(2);
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const changes: number[] = [];
    a.onPeersChanged((p) => changes.push(p.length));
    connect(a, b);
    await until(() => a.neighbours().length === 1 && b.neighbours().length === 1, 'handshake');
    expect(a.neighbours()).toEqual([b.peerId]);
    const view = a.peers().find((p) => p.peerId === b.peerId)!;
    expect(view).toMatchObject({ hops: 1, reachable: true, name: 'n1', nextHop: b.peerId });
    await until(() => changes.length > 0, 'peers changed');
    for (const n of nodes) n.close();
  });

  it('a link whose key does not hash to the claimed id fails with handshake-failed', async () => {
    const { nodes } = await makeNodes(1);
    const node = nodes[0]!;
    const someoneElse = (await generateIdentity()).peerId;
    const raw = await rawPeerFor(node, someoneElse);
    raw.hello();
    await until(() => raw.closeReason !== undefined, 'close');
    expect(raw.received.some((f) => f.type === 'bye' && f.reason === 'handshakeFailed')).toBe(true);
    expect(node.neighbours()).toEqual([]);
    node.close();
  });

  it('a forged proof (signed by another key) fails with bad-signature', async () => {
    const { nodes } = await makeNodes(1);
    const node = nodes[0]!;
    const raw = await rawPeerFor(node);
    raw.hello();
    await until(() => raw.theirNonce !== undefined, 'hello');
    const mallory = await generateIdentity();
    const { proofBytes } = await import('../../../src/protocol/frame-signing.ts');
    const sig = await mallory.sign(
      proofBytes(raw.identity.peerId, node.peerId, raw.nonce, raw.theirNonce!),
    );
    raw.send({ type: 'proof', sig });
    await until(() => raw.closeReason !== undefined, 'close');
    expect(node.neighbours()).toEqual([]);
    expect(node.stats().verifications).toBe(1);
  });

  it('a replayed proof (over an old nonce) fails', async () => {
    const { nodes } = await makeNodes(1);
    const node = nodes[0]!;
    const raw = await rawPeerFor(node);
    raw.hello();
    await until(() => raw.theirNonce !== undefined, 'hello');
    await raw.proof(node.peerId, new Uint8Array(16).fill(1)); // a nonce from some earlier handshake
    await until(() => raw.closeReason !== undefined, 'close');
    expect(raw.closeReason).toContain('peer closed');
    expect(node.neighbours()).toEqual([]);
  });

  it('close reasons are typed: the node side reports bad-signature / handshake-failed / timeout', async () => {
    const { nodes } = await makeNodes(1, { handshakeTimeoutMs: 50 });
    const node = nodes[0]!;
    const ident = await generateIdentity();
    const pair = createMemoryLinkPair(node.peerId, ident.peerId);
    const box = closeReasonOf(pair.a);
    node.addLink(pair.a); // the other side never speaks
    await until(() => box.reason !== undefined, 'timeout close');
    expect(box.reason).toMatch(/^timeout:/);

    const pair2 = createMemoryLinkPair(node.peerId, ident.peerId);
    const box2 = closeReasonOf(pair2.a);
    node.addLink(pair2.a);
    const { RawPeer } = await import('./testing.ts');
    const wrong = new RawPeer(await generateIdentity(), pair2.b); // key is not ident's
    wrong.hello();
    await until(() => box2.reason !== undefined, 'mismatch close');
    expect(box2.reason).toMatch(/^handshake-failed:/);

    const pair3 = createMemoryLinkPair(node.peerId, ident.peerId);
    const box3 = closeReasonOf(pair3.a);
    node.addLink(pair3.a);
    const liar = new RawPeer(ident, pair3.b);
    liar.hello();
    await until(() => liar.theirNonce !== undefined, 'hello');
    await liar.proof(node.peerId, new Uint8Array(16));
    await until(() => box3.reason !== undefined, 'bad proof close');
    expect(box3.reason).toMatch(/^bad-signature:/);
    node.close();
  });

  it('incoming links beyond maxLinks + slack are refused with bye overCapacity', async () => {
    const { nodes } = await makeNodes(2, { maxLinks: 1, linkSlack: 0 });
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    connect(a, b);
    await until(() => a.neighbours().length === 1, 'first link');
    const raw = await rawPeerFor(a);
    await until(() => raw.closeReason !== undefined, 'refusal');
    expect(raw.received).toContainEqual(
      expect.objectContaining({ type: 'bye', reason: 'overCapacity' }),
    );
    expect(a.stats().dropped['link-refused']).toBe(1);
  });

  it('a peer sending garbage is counted, never crashes the node, and loses its link', async () => {
    const { nodes } = await makeNodes(1, { malformedLimit: 3 });
    const node = nodes[0]!;
    const raw = await rawPeerFor(node);
    await raw.handshake(node);
    for (let i = 0; i < 10; i++) raw.link.send(new Uint8Array([1, 99, 0, 0, i]));
    await until(() => raw.closeReason !== undefined, 'close');
    expect(raw.received).toContainEqual(
      expect.objectContaining({ type: 'bye', reason: 'malformed' }),
    );
    expect(node.stats().dropped['unknown-type']).toBeGreaterThanOrEqual(4);
    expect(node.neighbours()).toEqual([]);
  });

  it('two links to the same peer: both ends keep the same one', async () => {
    const { nodes } = await makeNodes(2);
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    connect(a, b);
    connect(a, b);
    await until(() => a.neighbours().length === 1 && b.neighbours().length === 1, 'handshake');
    await new Promise((r) => setTimeout(r, 50));
    expect(a.neighbours()).toEqual([b.peerId]);
    expect(b.neighbours()).toEqual([a.peerId]);
    const msgs: string[] = [];
    b.onMessage((m) => msgs.push(m.msgId));
    a.sendDirect(b.peerId, new Uint8Array([1]));
    await until(() => msgs.length === 1, 'delivery over the surviving link');
  });
});
