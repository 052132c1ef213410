/**
 * Helpers for tests of the mesh core (used by *.test.ts here and by the simulator tests): nodes
 * over in-memory links, a polling wait, and a hand-driven peer that speaks raw frames (to forge,
 * replay and garble what an honest node never would).
 */
import { encodeFrame, parseFrame, type Frame } from '../../../src/protocol/frame.ts';
import { proofBytes } from '../../../src/protocol/frame-signing.ts';
import { generateIdentity, type Identity } from '../../../src/protocol/identity.ts';
import type { Link } from '../../../src/protocol/link.ts';
import { createMemoryLinkPair, type MemoryLinkOptions } from './memory-link.ts';
import { createMeshNode } from './node.ts';
import type { MeshNode, MeshNodeOptions } from './types.ts';

export async function until(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function makeNodes(
  n: number,
  opts: Partial<MeshNodeOptions> = {},
): Promise<{ nodes: MeshNode[]; ids: Identity[] }> {
  const ids = await Promise.all(Array.from({ length: n }, () => generateIdentity()));
  const nodes = ids.map((identity, i) =>
    createMeshNode({ topologyControl: false, name: `n${i}`, ...opts, identity }),
  );
  return { nodes, ids };
}

export function connect(a: MeshNode, b: MeshNode, opts: MemoryLinkOptions = {}) {
  const pair = createMemoryLinkPair(a.peerId, b.peerId, opts);
  a.addLink(pair.a);
  b.addLink(pair.b);
  return pair;
}

/** A peer driven frame by frame. `received` collects parsed frames from the node. */
export class RawPeer {
  readonly received: Frame[] = [];
  theirNonce: Uint8Array | undefined;
  theirKey: Uint8Array | undefined;
  readonly nonce = crypto.getRandomValues(new Uint8Array(16));
  closeReason: string | undefined;

  constructor(
    readonly identity: Identity,
    readonly link: Link,
  ) {
    link.onMessage((b) => {
      const r = parseFrame(b);
      if (!r.ok) return;
      if (r.value.type === 'hello') {
        this.theirNonce = r.value.nonce;
        this.theirKey = r.value.publicKey;
      }
      this.received.push(r.value);
    });
    link.onClose((reason) => (this.closeReason = reason));
  }

  send(f: Frame): void {
    this.link.send(encodeFrame(f));
  }

  hello(publicKey = this.identity.publicKey): void {
    this.send({ type: 'hello', publicKey, nonce: this.nonce, name: 'raw' });
  }

  /** An honest proof for the node `nodeId` (after its hello arrived). */
  async proof(nodeId: string, verifierNonce = this.theirNonce!): Promise<Uint8Array> {
    const sig = await this.identity.sign(
      proofBytes(this.identity.peerId, nodeId, this.nonce, verifierNonce),
    );
    this.send({ type: 'proof', sig });
    return sig;
  }

  /** Full honest handshake with `node`. */
  async handshake(node: MeshNode): Promise<void> {
    this.hello();
    await until(() => this.theirNonce !== undefined, 'hello from node');
    await this.proof(node.peerId);
    await until(() => node.neighbours().includes(this.identity.peerId), 'node to accept us');
  }
}

/** A node plus a RawPeer linked to it; the link claims `claimId` (default: the raw peer's id). */
export async function rawPeerFor(node: MeshNode, claimId?: string): Promise<RawPeer> {
  const identity = await generateIdentity();
  const pair = createMemoryLinkPair(node.peerId, claimId ?? identity.peerId);
  node.addLink(pair.a);
  return new RawPeer(identity, pair.b);
}
