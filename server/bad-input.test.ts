import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../src/protocol/identity.ts';
import { MAX_SIGNAL_MESSAGE_BYTES, SIGNAL_CLOSE } from '../src/protocol/signaling.ts';
import { TestClient, joined, startServer, type Started } from './test-support.ts';

let s: Started;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.server.close();
});

/** A joined pair in `room` that must keep working while someone else misbehaves. */
async function bystanders(room: string) {
  const a = await joined(s.wsUrl, room);
  const b = await joined(s.wsUrl, room);
  await a.client.next('peer-joined');
  return {
    async stillServed() {
      a.client.send({ t: 'signal', to: b.id.peerId, data: { ok: true } });
      expect(await b.client.next('signal')).toEqual({
        t: 'signal',
        from: a.id.peerId,
        data: { ok: true },
      });
      const fresh = await TestClient.connect(s.wsUrl);
      fresh.close();
    },
    close() {
      a.client.close();
      b.client.close();
    },
  };
}

describe('bad input gets a typed error and the server keeps serving', () => {
  const cases: Array<[string, unknown, string]> = [
    ['bad JSON', '{"t":"join",', 'bad-json'],
    ['a JSON array', '[1,2]', 'bad-message'],
    ['an unknown type', { t: 'teleport' }, 'unknown-type'],
    ['a join without fields', { t: 'join', room: 'lobby' }, 'bad-message'],
    ['a bad room name', { t: 'join', room: '../etc' }, 'bad-message'],
    ['a signal before join', { t: 'signal', to: 'a'.repeat(32), data: {} }, 'not-joined'],
    ['a signal with a bad target', { t: 'signal', to: 'nobody', data: {} }, 'bad-message'],
  ];
  for (const [what, msg, code] of cases) {
    it(`${what} → ${code}`, async () => {
      const room = await bystanders('calm');
      const c = await TestClient.connect(s.wsUrl);
      const before = s.server.metrics.errorCount(code as never);
      c.send(msg);
      const err = await c.next('error');
      expect(err.code).toBe(code);
      expect(err.message.length).toBeGreaterThan(0);
      expect(s.server.metrics.errorCount(code as never)).toBe(before + 1);
      // The offending socket stays open and usable.
      expect((await c.join('after-error')).room).toBe('after-error');
      await room.stillServed();
      room.close();
      c.close();
    });
  }

  it('a binary frame → bad-frame, socket stays open', async () => {
    const c = await TestClient.connect(s.wsUrl);
    c.ws.send(Buffer.from([1, 2, 3]));
    expect((await c.next('error')).code).toBe('bad-frame');
    expect((await c.join('bin')).room).toBe('bin');
    c.close();
  });

  it('a signal to an unknown peer → unknown-target; to another room → wrong-room', async () => {
    const a = await joined(s.wsUrl, 'r1');
    const elsewhere = await joined(s.wsUrl, 'r2');
    const stranger = (await generateIdentity()).peerId;
    a.client.send({ t: 'signal', to: stranger, data: {} });
    // The error names the target, so the client can drop its negotiation with it at once.
    expect(await a.client.next('error')).toMatchObject({
      code: 'unknown-target',
      peerId: stranger,
    });
    a.client.send({ t: 'signal', to: elsewhere.id.peerId, data: {} });
    expect(await a.client.next('error')).toMatchObject({
      code: 'wrong-room',
      peerId: elsewhere.id.peerId,
    });
    expect(await elsewhere.client.maybe('signal', 100)).toBeUndefined();
    a.client.close();
    elsewhere.client.close();
  });

  it('an oversize frame → oversize error, then close 1009; the server never buffers it', async () => {
    const room = await bystanders('calm2');
    const c = await TestClient.connect(s.wsUrl);
    c.send({
      t: 'signal',
      to: 'a'.repeat(32),
      data: { pad: 'x'.repeat(MAX_SIGNAL_MESSAGE_BYTES) },
    });
    expect((await c.next('error')).code).toBe('oversize');
    expect((await c.closed).code).toBe(SIGNAL_CLOSE.tooBig);
    await room.stillServed();
    room.close();
  });

  it('64 KiB frames are parsed; a signal whose relayed form would exceed the limit is refused', async () => {
    const a = await joined(s.wsUrl, 'edge');
    const b = await joined(s.wsUrl, 'edge');
    // Inbound `"to":` becomes outbound `"from":`: the relayed frame is 2 characters longer.
    const frameOf = (size: number) => {
      const shell = JSON.stringify({ t: 'signal', to: b.id.peerId, data: { pad: '' } });
      return shell.replace('"pad":""', `"pad":"${'y'.repeat(size - shell.length)}"`);
    };
    const atLimit = frameOf(MAX_SIGNAL_MESSAGE_BYTES);
    expect(Buffer.byteLength(atLimit)).toBe(MAX_SIGNAL_MESSAGE_BYTES);
    a.client.send(atLimit);
    expect((await a.client.next('error')).code).toBe('oversize');
    expect(await b.client.maybe('signal', 100)).toBeUndefined();
    a.client.send(frameOf(MAX_SIGNAL_MESSAGE_BYTES - 2));
    expect((await b.client.next('signal')).from).toBe(a.id.peerId);
    expect(a.client.ws.readyState).toBe(1);
    a.client.close();
    b.client.close();
  });

  it('a non-signaling upgrade path is refused with 404', async () => {
    const port = s.server.address().port;
    await expect(TestClient.connect(`ws://127.0.0.1:${port}/other`)).rejects.toThrow(/404/);
  });
});
