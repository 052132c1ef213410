import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../../src/protocol/identity.ts';
import { signAdvert, signRouted } from '../../../src/protocol/frame-signing.ts';
import { VirtualClock } from '../../../scripts/sim/virtual-clock.ts';
import { SimCrypto } from '../../../scripts/sim/crypto-memo.ts';
import { createMemoryLinkPair } from './memory-link.ts';
import { createMeshNode } from './node.ts';
import { connect, makeNodes, rawPeerFor, RawPeer, until } from './testing.ts';
import type { MeshNode } from './types.ts';

const advert = (seq: number, links: { peer: string; cost: number }[], lifetimeS = 120) => ({
  ttl: 8,
  hops: 0,
  seq,
  lifetimeS,
  ageS: 0,
  name: 'x',
  links,
  relays: [],
});

describe('link-state adverts', () => {
  it('accepts a new advert once; drops duplicates and stale seqs before verifying', async () => {
    const { nodes } = await makeNodes(1);
    const node = nodes[0]!;
    const raw = await rawPeerFor(node);
    await raw.handshake(node);
    const v0 = node.stats().verifications;
    raw.send(await signAdvert(raw.identity, advert(5, [{ peer: node.peerId, cost: 10 }])));
    await until(() => node.stats().advertsAccepted === 1, 'accept');
    raw.send(await signAdvert(raw.identity, advert(5, [{ peer: node.peerId, cost: 10 }])));
    raw.send(await signAdvert(raw.identity, advert(4, [{ peer: node.peerId, cost: 10 }])));
    await until(() => (node.stats().dropped['stale-advert'] ?? 0) === 1, 'stale drop');
    expect(node.stats().dropped['duplicate-advert']).toBe(1);
    expect(node.stats().verifications - v0).toBe(1);
    node.close();
  });

  it('rejects forged adverts: wrong signer, and a key that is not the origin', async () => {
    const { nodes } = await makeNodes(1);
    const node = nodes[0]!;
    const raw = await rawPeerFor(node);
    await raw.handshake(node);
    const mallory = await generateIdentity();
    const forged = await signAdvert(mallory, advert(1, [{ peer: node.peerId, cost: 1 }]));
    raw.send({ ...forged, origin: raw.identity.peerId }); // mallory's key + sig, raw's origin
    const bySig = await signAdvert(raw.identity, advert(2, [{ peer: node.peerId, cost: 1 }]));
    raw.send({ ...bySig, links: [{ peer: node.peerId, cost: 65000 }] }); // tampered after signing
    await until(() => node.stats().dropped['bad-signature'] === 2, 'rejections');
    expect(node.stats().advertsAccepted).toBe(0);
    // unsigned data can not be delivered either: the origin's key is needed and checked
    const d = await signRouted(mallory, {
      type: 'data',
      ttl: 4,
      hops: 0,
      dst: node.peerId,
      msgId: '44'.repeat(16),
      body: new Uint8Array(1),
    });
    raw.send(d);
    await until(() => node.stats().dropped['unknown-source'] === 1, 'unknown source');
    node.close();
  });

  it('ages out an advert whose origin stopped refreshing it', async () => {
    const sim = new SimCrypto();
    const clock = new VirtualClock(() => sim.inFlight);
    const node = createMeshNode({
      identity: await sim.identity(),
      clock,
      verify: sim.verify,
      topologyControl: false,
    });
    const r = await sim.identity();
    const x = await sim.identity();
    const pair = createMemoryLinkPair(node.peerId, r.peerId, { clock, latencyMs: 1 });
    node.addLink(pair.a);
    const raw = new RawPeer(r, pair.b);
    raw.hello();
    await clock.run(clock.now() + 10);
    await raw.proof(node.peerId);
    await clock.run(clock.now() + 10);
    expect(node.neighbours()).toEqual([r.peerId]);
    raw.send(
      await signAdvert(
        r,
        advert(
          1,
          [
            { peer: node.peerId, cost: 10 },
            { peer: x.peerId, cost: 10 },
          ],
          1000,
        ),
      ),
    );
    raw.send(await signAdvert(x, advert(1, [{ peer: r.peerId, cost: 10 }], 20)));
    await clock.run(clock.now() + 100);
    const reach = () => node.peers().find((p) => p.peerId === x.peerId);
    expect(reach()).toMatchObject({ reachable: true, hops: 2 });
    // X's 20 s lifetime runs out and the next housekeeping pass (every 4–6 s) drops it; the raw
    // peer keeps pinging. 25 s fell short when the passes fell at ~19.9 s and ~25.9 s.
    await clock.run(clock.now() + 27_000);
    expect(reach()).toMatchObject({ reachable: false, hops: 0 });
    expect(node.topology().links.some((l) => l.a === x.peerId || l.b === x.peerId)).toBe(false);
    node.close();
  });
});

describe('hop limit and broadcast cost', () => {
  it('a routed frame whose ttl runs out is dropped and counted', async () => {
    const { nodes } = await makeNodes(2, { advertDebounceMs: 1, routeDebounceMs: 1 });
    const [a, b] = nodes as [MeshNode, MeshNode];
    connect(a, b);
    const raw = await rawPeerFor(a);
    await raw.handshake(a);
    // b needs raw's key to verify what raw signs: it comes with raw's advert
    const own = await signAdvert(raw.identity, advert(1, [{ peer: a.peerId, cost: 10 }]));
    raw.send({ ...own, relays: [a.peerId] }); // the origin names its relay, as a node does
    await until(
      () => b.peers().some((p) => p.peerId === raw.identity.peerId && p.reachable),
      'routes',
    );
    const got: number[] = [];
    b.onMessage((m) => got.push(m.hops));
    const mk = (ttl: number, id: string) =>
      signRouted(raw.identity, {
        type: 'data',
        ttl,
        hops: 0,
        dst: b.peerId,
        msgId: id.repeat(16),
        body: new Uint8Array(1),
      });
    raw.send(await mk(1, '01'));
    raw.send(await mk(2, '02'));
    await until(() => got.length === 1 && a.stats().dropped['ttl-expired'] === 1, 'ttl');
    expect(got).toEqual([2]);
  });

  it('broadcast on a random 30-node mesh of degree ~6: everyone once, n−1 link sends', async () => {
    const n = 30;
    const { nodes } = await makeNodes(n, { advertDebounceMs: 2, routeDebounceMs: 2, maxLinks: 12 });
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const edges = new Set<string>();
    const add = (i: number, j: number) => {
      const k = i < j ? `${i},${j}` : `${j},${i}`;
      if (i === j || edges.has(k)) return;
      edges.add(k);
      connect(nodes[i]!, nodes[j]!);
    };
    for (let i = 0; i < n; i++) add(i, (i + 1) % n);
    while (edges.size < n * 3) add(Math.floor(rnd() * n), Math.floor(rnd() * n));
    await until(
      () => nodes.every((x) => x.peers().filter((p) => p.reachable).length === n - 1),
      'convergence',
      20_000,
    );
    await new Promise((r) => setTimeout(r, 100)); // let the last adverts settle everywhere
    const counts = new Map<string, number>();
    for (const x of nodes) x.onMessage(() => counts.set(x.peerId, (counts.get(x.peerId) ?? 0) + 1));
    const before = nodes.reduce((s, x) => s + x.stats().broadcastSends, 0);
    nodes[0]!.broadcast(new Uint8Array([1]));
    await until(() => counts.size === n - 1, 'coverage');
    await new Promise((r) => setTimeout(r, 50));
    const sends = nodes.reduce((s, x) => s + x.stats().broadcastSends, 0) - before;
    const flooding = 2 * edges.size - (n - 1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // the source-rooted tree: one copy per node when every database agrees
    expect(sends).toBe(n - 1);
    expect(sends).toBeLessThan(flooding / 4);
    for (const x of nodes) x.close();
  }, 40_000);
});
