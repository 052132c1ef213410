/**
 * Test harness: the scenario every multi-instance bus must pass (in-memory hub and Redis alike):
 * peers on two instances share a room, see each other, relay both ways, and a device moving
 * between instances replaces its old socket without a departure flap.
 */
import { expect } from 'vitest';
import { generateIdentity } from '../src/protocol/identity.ts';
import { SIGNAL_CLOSE } from '../src/protocol/signaling.ts';
import { TestClient, joined, type Started } from './test-support.ts';

export async function sharedRoomScenario(one: Started, two: Started, room: string): Promise<void> {
  expect(one.server.instanceId).not.toBe(two.server.instanceId);
  const a = await joined(one.wsUrl, room, 'on-one');
  const b = await joined(two.wsUrl, room, 'on-two');
  expect(b.welcome.peers).toEqual([{ peerId: a.id.peerId, name: 'on-one' }]);
  expect((await a.client.next('peer-joined')).peer).toEqual({
    peerId: b.id.peerId,
    name: 'on-two',
  });

  a.client.send({ t: 'signal', to: b.id.peerId, data: { sdp: 'offer' } });
  expect(await b.client.next('signal')).toEqual({
    t: 'signal',
    from: a.id.peerId,
    data: { sdp: 'offer' },
  });
  b.client.send({ t: 'signal', to: a.id.peerId, data: { sdp: 'answer' } });
  expect((await a.client.next('signal')).data).toEqual({ sdp: 'answer' });

  // A device on instance one reconnects through instance two.
  const device = await generateIdentity();
  const first = await TestClient.connect(one.wsUrl);
  await first.join(room, device, 'roamer');
  await b.client.next('peer-joined', (m) => m.peer.peerId === device.peerId);
  await a.client.next('peer-joined', (m) => m.peer.peerId === device.peerId);
  const second = await TestClient.connect(two.wsUrl);
  const w = await second.join(room, device, 'roamer');
  expect(w.peers.map((p) => p.peerId).sort()).toEqual([a.id.peerId, b.id.peerId].sort());
  expect((await first.closed).code).toBe(SIGNAL_CLOSE.replaced);
  await a.client.next('peer-joined', (m) => m.peer.peerId === device.peerId);
  expect(await a.client.maybe('peer-left', 300)).toBeUndefined();
  a.client.send({ t: 'signal', to: device.peerId, data: { n: 1 } });
  expect((await second.next('signal')).from).toBe(a.id.peerId);

  // Departures cross instances.
  b.client.send({ t: 'leave' });
  expect((await a.client.next('peer-left')).peerId).toBe(b.id.peerId);
  second.close();
  expect((await a.client.next('peer-left')).peerId).toBe(device.peerId);
  a.client.send({ t: 'signal', to: b.id.peerId, data: {} });
  expect((await a.client.next('error')).code).toBe('unknown-target');
  a.client.close();
  b.client.close();
}
