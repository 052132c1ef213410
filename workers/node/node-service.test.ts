/**
 * The node worker's service end to end in Node: real mesh core, real stores (fake-indexeddb),
 * real crypto, links over MessagePorts exactly as the main thread hands them over. Covers the
 * delivery paths fast; the browser e2e suite covers the same flows with real WebRTC.
 */
import 'fake-indexeddb/auto';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeApi, NodeEvent } from './api.ts';
import { createNodeService } from './node-service.ts';
import { createCarryStore } from './store/carry-store.ts';
import { openMeshDb } from './store/db.ts';

interface TestNode {
  api: NodeApi;
  id: string;
  events: NodeEvent[];
  db: string;
}

let dbCounter = 0;
const running: NodeApi[] = [];
afterEach(() => {
  for (const api of running.splice(0)) api.stop();
});

async function start(name: string, db = `test-${process.pid}-${dbCounter++}`): Promise<TestNode> {
  const api = createNodeService();
  running.push(api);
  const events: NodeEvent[] = [];
  const r = await api.start({ room: 'lobby', name, dbName: db, minLinks: 1, maxLinks: 4 }, (e) => {
    events.push(e);
  });
  return { api, id: r.peerId, events, db };
}

/** A link between two nodes: two PortLinks on one MessageChannel, as the bridge would give. */
function link(a: TestNode, b: TestNode): () => void {
  const { port1, port2 } = new MessageChannel();
  a.api.addLink(port1 as unknown as MessagePort, b.id);
  b.api.addLink(port2 as unknown as MessagePort, a.id);
  // Cutting it is what the main-thread bridge does when a data channel closes: a close notice
  // to each worker.
  return () => {
    port1.postMessage({ t: 'close', reason: 'cut' });
    port2.postMessage({ t: 'close', reason: 'cut' });
  };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const reaches = (n: TestNode, id: string) => () => n.api.route(id) !== undefined;
const received = (n: TestNode, text: string) =>
  n.events.filter(
    (e) => e.type === 'message' && e.message.text === text && e.message.direction === 'in',
  );
const statusOf = (n: TestNode, msgId: string) =>
  n.events
    .filter((e) => e.type === 'status' && e.msgId === msgId)
    .map((e) => (e as { status: string }).status);

describe('node service delivery', () => {
  it('a direct message is sealed, delivered once, and acknowledged', async () => {
    const a = await start('a');
    const b = await start('b');
    link(a, b);
    await until(reaches(a, b.id), 'route a→b');
    const sent = await a.api.sendText(`dm:${b.id}`, 'hi b');
    expect(sent.status).toBe('queued');
    await until(() => statusOf(a, sent.msgId).includes('delivered'), 'receipt');
    expect(received(b, 'hi b')).toHaveLength(1);
    const msg = received(b, 'hi b')[0]!;
    expect(msg.type === 'message' && msg.message.conversation).toBe(`dm:${a.id}`);
    // Stored on both sides: history survives the session.
    expect((await b.api.history(`dm:${a.id}`)).map((m) => m.text)).toEqual(['hi b']);
    expect((await a.api.history(`dm:${b.id}`)).map((m) => m.status)).toEqual(['delivered']);
  });

  it('room messages reach everyone on the mesh once, across a relay', async () => {
    const [a, b, c] = [await start('a'), await start('b'), await start('c')];
    link(a, b);
    link(b, c);
    await until(reaches(a, c.id), 'route a→c');
    await a.api.sendText('room', 'hello room');
    await until(() => received(c, 'hello room').length === 1, 'c got it');
    await until(() => received(b, 'hello room').length === 1, 'b got it');
    await new Promise((r) => setTimeout(r, 200));
    expect(received(c, 'hello room')).toHaveLength(1);
    const atC = received(c, 'hello room')[0]!;
    expect(atC.type === 'message' && atC.message.hops).toBe(2);
  });

  it('a message to an unreachable peer waits in the outbox and goes out when a route appears', async () => {
    const a = await start('a');
    const b = await start('b');
    const cut = link(a, b);
    await until(reaches(a, b.id), 'route');
    const first = await a.api.sendText(`dm:${b.id}`, 'swap keys');
    await until(() => statusOf(a, first.msgId).includes('delivered'), 'first receipt');
    cut();
    await until(() => !reaches(a, b.id)(), 'route gone');
    const later = await a.api.sendText(`dm:${b.id}`, 'while you were away');
    await new Promise((r) => setTimeout(r, 300));
    expect(statusOf(a, later.msgId)).not.toContain('sent');
    expect(received(b, 'while you were away')).toHaveLength(0);
    link(a, b);
    await until(() => statusOf(a, later.msgId).includes('delivered'), 'delivered after reconnect');
    expect(received(b, 'while you were away')).toHaveLength(1);
  });

  it('a carrier holds a sealed message for an offline recipient and hands it over', async () => {
    const [a, b, c] = [await start('a'), await start('b'), await start('c')];
    const cutAB = link(a, b);
    link(a, c);
    await until(reaches(a, b.id), 'a→b');
    const hello = await a.api.sendText(`dm:${b.id}`, 'keys first');
    await until(() => statusOf(a, hello.msgId).includes('delivered'), 'keys swapped');
    cutAB();
    await until(() => !reaches(a, b.id)(), 'b gone');
    const m = await a.api.sendText(`dm:${b.id}`, 'carried for you');
    await until(
      () => a.events.some((e) => e.type === 'carried' && e.msgId === m.msgId),
      'handed to c',
    );
    a.api.stop(); // the sender leaves
    link(b, c);
    await until(() => received(b, 'carried for you').length === 1, 'b got it from c');
    // The carrier could not open it: nothing was displayed at C.
    expect(received(c, 'carried for you')).toHaveLength(0);
    // B's signed ack lets C drop its copy (it keeps copies until then: a route can be stale).
    const carried = createCarryStore(await openMeshDb({ name: c.db }));
    await until(async () => (await carried.peekFor(b.id)).length === 0, 'carrier dropped its copy');
    // …and now carries B's receipt for A, who is offline.
    expect(await carried.recipients()).toEqual([a.id]);
  });

  it('room members from signaling are listed at once, unreachable until linked', async () => {
    const a = await start('a');
    const other = 'e'.repeat(32);
    a.api.setRoomMembers([{ peerId: other, name: 'eve' }]);
    const last = a.events.filter((e) => e.type === 'peers').at(-1);
    expect(last?.type === 'peers' && last.peers).toEqual([
      { peerId: other, name: 'eve', hops: 0, reachable: false, rttMs: undefined },
    ]);
    // …and dialled: below minLinks, a member is a bootstrap candidate.
    expect(a.events.some((e) => e.type === 'want-link' && e.peerId === other)).toBe(true);
  });

  it('an unacknowledged message that expires turns failed (not silently queued), and retry delivers it', async () => {
    const a = await start('a');
    const b = await start('b');
    b.api.stop(); // b exists (a real id) but is never reachable while a's message waits
    const msg = await a.api.sendText(`dm:${b.id}`, 'are you there?');
    expect(await a.api.retry(msg.msgId)).toBe(false); // queued, not failed: nothing to retry
    a.api.stop();
    // Seven days pass: age the outbox entry in a's database.
    const db = await openMeshDb({ name: a.db });
    const rec = await db.get('outbox', msg.msgId);
    expect(rec).toBeDefined();
    await db.put('outbox', { ...rec!, expiresAt: Date.now() - 1 });
    db.close();

    const a2 = await start('a', a.db);
    await until(() => statusOf(a2, msg.msgId).includes('failed'), 'failed status');
    const [stored] = await a2.api.history(`dm:${b.id}`);
    expect(stored).toMatchObject({ msgId: msg.msgId, text: 'are you there?', status: 'failed' });

    expect(await a2.api.retry(msg.msgId)).toBe(true);
    expect(statusOf(a2, msg.msgId)).toEqual(['failed', 'queued']);
    const b2 = await start('b', b.db);
    link(a2, b2);
    await until(() => statusOf(a2, msg.msgId).includes('delivered'), 'delivered after retry');
    expect(received(b2, 'are you there?')).toHaveLength(1);
    expect(await a2.api.retry(msg.msgId)).toBe(false); // delivered: nothing to retry
  });

  it('identity and history persist across a restart of the same database', async () => {
    const a = await start('a');
    await a.api.sendText('room', 'note to self');
    a.api.stop();
    const again = await start('a', a.db);
    expect(again.id).toBe(a.id);
    expect((await again.api.history('room')).map((m) => m.text)).toEqual(['note to self']);
  });
});
