import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNALING_PATH } from '../src/protocol/signaling.ts';
import { spawnCli } from './cli-process.ts';
import { sharedRoomScenario } from './multi-instance.ts';
import { startRedis, type RedisProcess } from './redis-process.ts';
import { joined, startServer, type Started } from './test-support.ts';

const TTL_MS = 600;
let redis: RedisProcess;
let one: Started;
let two: Started;

beforeAll(async () => {
  redis = await startRedis();
  const opts = { redisUrl: redis.url, presenceTtlMs: TTL_MS };
  one = await startServer(opts);
  two = await startServer(opts);
});
afterAll(async () => {
  await Promise.all([one?.server.close(), two?.server.close()]);
  await redis?.stop();
});

describe('two instances sharing rooms through Redis', () => {
  it('report a redis bus in /ready', async () => {
    const r = await fetch(`${one.httpUrl}/ready`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ready: true, bus: 'redis' });
  });

  it('share presence and relay signals across instances', async () => {
    await sharedRoomScenario(one, two, 'redis-room');
    // Remote relays went through the bus, not a local shortcut.
    expect(one.server.metrics.signalsRelayedRemote).toBeGreaterThan(0);
    expect(two.server.metrics.signalsRelayedRemote).toBeGreaterThan(0);
  });

  it('forget the peers of a crashed instance once its presence expires', async () => {
    const crashing = await spawnCli({
      REDIS_URL: redis.url,
      PRESENCE_TTL_MS: String(TTL_MS),
      STATIC_DIR: '/nonexistent-katya-dist',
    });
    try {
      const here = await joined(one.wsUrl, 'crash');
      const there = await joined(`ws://127.0.0.1:${crashing.port}${SIGNALING_PATH}`, 'crash');
      expect(there.welcome.peers.map((p) => p.peerId)).toEqual([here.id.peerId]);
      await here.client.next('peer-joined', (m) => m.peer.peerId === there.id.peerId);

      crashing.child.kill('SIGKILL'); // no graceful leave: only expiry can tell
      await crashing.exited;
      const t0 = Date.now();
      const left = await here.client.next('peer-left', () => true, TTL_MS * 6);
      expect(left.peerId).toBe(there.id.peerId);
      expect(Date.now() - t0).toBeLessThan(TTL_MS * 5);
      // A newcomer on the other live instance does not see the ghost either.
      const late = await joined(two.wsUrl, 'crash');
      expect(late.welcome.peers.map((p) => p.peerId)).toEqual([here.id.peerId]);
      here.client.close();
      late.client.close();
    } finally {
      if (crashing.child.exitCode === null) crashing.child.kill('SIGKILL');
    }
  });

  it('report not ready (503) when Redis goes away', async () => {
    await redis.stop();
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await fetch(`${one.httpUrl}/ready`)).status;
      if (status === 503) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(503);
  });
});
