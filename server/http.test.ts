import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joined, startServer, type Started } from './test-support.ts';
import { createMemoryBus } from './room-bus.ts';

let s: Started;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.server.close();
});

describe('operational endpoints', () => {
  it('/health is 200 JSON with uptime and security headers', async () => {
    const res = await fetch(`${s.httpUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await res.json()) as { status: string; uptimeS: number };
    expect(body.status).toBe('ok');
    expect(typeof body.uptimeS).toBe('number');
  });

  it('/ready is 200 while accepting peers', async () => {
    const res = await fetch(`${s.httpUrl}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, bus: 'memory' });
  });

  it('/metrics counts connections, rooms, relays, errors by code and rate-limit drops', async () => {
    const a = await joined(s.wsUrl, 'm1');
    const b = await joined(s.wsUrl, 'm1');
    a.client.send({ t: 'signal', to: b.id.peerId, data: {} });
    await b.client.next('signal');
    a.client.send('nonsense');
    await a.client.next('error');
    const res = await fetch(`${s.httpUrl}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('katya_connections')).toBe(2);
    expect(value('katya_rooms')).toBe(1);
    expect(value('katya_peers')).toBe(2);
    expect(value('katya_signals_relayed_total')).toBeGreaterThanOrEqual(1);
    expect(value('katya_errors_total\\{code="bad-json"\\}')).toBeGreaterThanOrEqual(1);
    expect(value('katya_rate_limit_drops_total')).toBe(0);
    expect(text).toMatch(/# TYPE katya_rate_limit_drops_total counter/);
    a.client.close();
    b.client.close();
  });

  it('/ready is 503 when the bus is down (upgrades refused); closing sends 1001', async () => {
    const bus = createMemoryBus();
    const t = await startServer({ bus });
    await bus.close(); // the memory bus reports not-ready once closed, like a lost Redis
    const res = await fetch(`${t.httpUrl}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, reason: 'memory bus not connected' });
    await expect(TestClient.connect(t.wsUrl)).rejects.toThrow(/503/);
    await t.server.close();

    const u = await startServer();
    const c = await TestClient.connect(u.wsUrl);
    const closing = u.server.close();
    expect((await c.closed).code).toBe(1001);
    await closing;
  });

  it('answers other methods with 405', async () => {
    const res = await fetch(`${s.httpUrl}/health`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
