import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toHex } from '../src/protocol/bytes.ts';
import { generateIdentity } from '../src/protocol/identity.ts';
import { SIGNAL_CLOSE } from '../src/protocol/signaling.ts';
import { TestClient, joinMessage, joined, startServer, type Started } from './test-support.ts';

let s: Started;
beforeEach(async () => {
  s = await startServer();
});
afterEach(async () => {
  await s.server.close();
});

describe('signaling happy path', () => {
  it('greets, joins, announces, relays and reports departures', async () => {
    const a = await joined(s.wsUrl, 'lobby', 'alice');
    expect(a.client.hello.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(a.client.hello.serverId).toBe(s.server.instanceId);
    expect(a.welcome).toEqual({
      t: 'welcome',
      room: 'lobby',
      self: { peerId: a.id.peerId, name: 'alice' },
      peers: [],
    });

    const b = await joined(s.wsUrl, 'lobby', 'bob');
    expect(b.welcome.peers).toEqual([{ peerId: a.id.peerId, name: 'alice' }]);
    const pj = await a.client.next('peer-joined');
    expect(pj.peer).toEqual({ peerId: b.id.peerId, name: 'bob' });

    const offer = { type: 'offer', sdp: 'v=0 fake' };
    a.client.send({ t: 'signal', to: b.id.peerId, data: offer });
    expect(await b.client.next('signal')).toEqual({ t: 'signal', from: a.id.peerId, data: offer });
    b.client.send({ t: 'signal', to: a.id.peerId, data: { candidate: 'c1' } });
    expect((await a.client.next('signal')).from).toBe(b.id.peerId);

    b.client.send({ t: 'leave' });
    expect(await a.client.next('peer-left')).toEqual({ t: 'peer-left', peerId: b.id.peerId });
    // After leave, b is no longer a member: relaying to it fails.
    a.client.send({ t: 'signal', to: b.id.peerId, data: {} });
    expect((await a.client.next('error')).code).toBe('unknown-target');

    const c = await joined(s.wsUrl, 'lobby', 'carol');
    await a.client.next('peer-joined', (m) => m.peer.peerId === c.id.peerId);
    c.client.close();
    expect((await a.client.next('peer-left')).peerId).toBe(c.id.peerId);
    a.client.close();
  });

  it('keeps rooms apart', async () => {
    const a = await joined(s.wsUrl, 'one');
    const b = await joined(s.wsUrl, 'two');
    expect(b.welcome.peers).toEqual([]);
    expect(await a.client.maybe('peer-joined', 150)).toBeUndefined();
    a.client.send({ t: 'signal', to: b.id.peerId, data: { x: 1 } });
    expect((await a.client.next('error')).code).toBe('wrong-room');
    expect(await b.client.maybe('signal', 100)).toBeUndefined();
    a.client.close();
    b.client.close();
  });
});

describe('join authentication', () => {
  it('rejects a signature made by another key', async () => {
    const victim = await generateIdentity();
    const attacker = await generateIdentity();
    const c = await TestClient.connect(s.wsUrl);
    const forged = await joinMessage(attacker, c.hello.nonce, 'lobby');
    c.send({ ...forged, peerId: victim.peerId, publicKey: toHex(victim.publicKey) });
    expect((await c.next('error')).code).toBe('bad-signature');
    expect(await c.maybe('welcome', 100)).toBeUndefined();
    // The socket stays usable and is not joined.
    c.send({ t: 'signal', to: victim.peerId, data: {} });
    expect((await c.next('error')).code).toBe('not-joined');
    c.close();
  });

  it('rejects a valid signature whose key does not hash to the claimed peer id', async () => {
    const victim = await generateIdentity();
    const attacker = await generateIdentity();
    const c = await TestClient.connect(s.wsUrl);
    const msg = await joinMessage(attacker, c.hello.nonce, 'lobby');
    c.send({ ...msg, peerId: victim.peerId });
    expect((await c.next('error')).code).toBe('bad-identity');
    c.close();
  });

  it('rejects a signature over another socket nonce (replay)', async () => {
    const id = await generateIdentity();
    const first = await TestClient.connect(s.wsUrl);
    const second = await TestClient.connect(s.wsUrl);
    second.send(await joinMessage(id, first.hello.nonce, 'lobby'));
    expect((await second.next('error')).code).toBe('bad-signature');
    first.close();
    second.close();
  });

  it('a second socket with the same proven id replaces the first without a peer-left flap', async () => {
    const watcher = await joined(s.wsUrl, 'lobby');
    const id = await generateIdentity();
    const oldSock = await TestClient.connect(s.wsUrl);
    await oldSock.join('lobby', id, 'phone');
    await watcher.client.next('peer-joined');

    const newSock = await TestClient.connect(s.wsUrl);
    const w = await newSock.join('lobby', id, 'phone');
    expect(w.peers.map((p) => p.peerId)).toEqual([watcher.id.peerId]);
    const closed = await oldSock.closed;
    expect(closed.code).toBe(SIGNAL_CLOSE.replaced);
    // The room heard the device (again), never that it left.
    await watcher.client.next('peer-joined', (m) => m.peer.peerId === id.peerId);
    expect(await watcher.client.maybe('peer-left', 200)).toBeUndefined();
    // Signals reach the new socket.
    watcher.client.send({ t: 'signal', to: id.peerId, data: { hi: 1 } });
    expect((await newSock.next('signal')).from).toBe(watcher.id.peerId);
    // And when the new socket goes, the room does hear it.
    newSock.close();
    expect((await watcher.client.next('peer-left')).peerId).toBe(id.peerId);
    watcher.client.close();
  });

  it('enforces the room size limit', async () => {
    await s.server.close();
    s = await startServer({ maxRoomSize: 2 });
    const a = await joined(s.wsUrl, 'small');
    const b = await joined(s.wsUrl, 'small');
    const c = await TestClient.connect(s.wsUrl);
    c.send(await joinMessage(await generateIdentity(), c.hello.nonce, 'small'));
    expect((await c.next('error')).code).toBe('room-full');
    // Another room still works for the same socket.
    expect((await c.join('other')).room).toBe('other');
    for (const x of [a.client, b.client, c]) x.close();
  });

  it('refuses upgrades over the connection limit with 503 and recovers', async () => {
    await s.server.close();
    s = await startServer({ maxConnections: 2 });
    const a = await TestClient.connect(s.wsUrl);
    const b = await TestClient.connect(s.wsUrl);
    await expect(TestClient.connect(s.wsUrl)).rejects.toThrow(/503/);
    expect(s.server.metrics.connectionsRejected).toBe(1);
    b.close();
    await b.closed;
    await new Promise((r) => setTimeout(r, 50));
    const c = await TestClient.connect(s.wsUrl);
    a.close();
    c.close();
  });
});
