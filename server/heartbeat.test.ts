import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../src/protocol/identity.ts';
import { TestClient, joined, startServer, type Started } from './test-support.ts';

let s: Started;
beforeAll(async () => {
  s = await startServer({ heartbeatIntervalMs: 150 });
});
afterAll(async () => {
  await s.server.close();
});

describe('heartbeat', () => {
  it('terminates a socket that stops answering pings; its room hears peer-left', async () => {
    const watcher = await joined(s.wsUrl, 'hb');
    const deadId = await generateIdentity();
    const dead = await TestClient.connect(s.wsUrl, { autoPong: false });
    await dead.join('hb', deadId);
    await watcher.client.next('peer-joined');
    const t0 = Date.now();
    const left = await watcher.client.next('peer-left', () => true, 2000);
    expect(left.peerId).toBe(deadId.peerId);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(s.server.metrics.heartbeatTerminations).toBeGreaterThanOrEqual(1);
    // A live client (auto pong) survives many intervals.
    await new Promise((r) => setTimeout(r, 600));
    expect(watcher.client.ws.readyState).toBe(1);
    watcher.client.close();
  });
});
