/**
 * CLI: `node --import tsx server/main.ts`. Configuration comes from the environment:
 * PORT (8080), HOST (0.0.0.0), STATIC_DIR (dist), REDIS_URL (optional), and for operators
 * HEARTBEAT_MS, MAX_CONNECTIONS, MAX_ROOM_SIZE, PRESENCE_TTL_MS.
 */
import { MeshError } from '../src/protocol/errors.ts';
import { createSignalServer } from './create-server.ts';

function intEnv(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new MeshError('bad-message', `${name} must be a non-negative integer, got ${raw}`);
  }
  return n;
}

const log = (line: string) => console.log(`[katya-mesh] ${line}`);
const staticDir = process.env.STATIC_DIR || 'dist';
const redisUrl = process.env.REDIS_URL || undefined;

const server = createSignalServer({
  port: intEnv('PORT', 8080),
  host: process.env.HOST || '0.0.0.0',
  staticDir,
  redisUrl,
  heartbeatIntervalMs: intEnv('HEARTBEAT_MS', undefined),
  maxConnections: intEnv('MAX_CONNECTIONS', undefined),
  maxRoomSize: intEnv('MAX_ROOM_SIZE', undefined),
  presenceTtlMs: intEnv('PRESENCE_TTL_MS', undefined),
  log,
});

const slow = setTimeout(() => log(`still waiting for ${redisUrl ? 'Redis' : 'listen'}…`), 5000);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: closing`);
  // A stuck close must not keep an orchestrator waiting forever.
  setTimeout(() => {
    log('close timed out');
    process.exit(1);
  }, 10_000).unref();
  server.close().then(
    () => process.exit(0),
    (e: unknown) => {
      log(`close failed: ${String(e)}`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.ready.then(
  () => {
    clearTimeout(slow);
    const { host, port } = server.address();
    log(
      `listening on http://${host}:${port} port=${port} static=${staticDir} bus=${server.busKind}`,
    );
  },
  (e: unknown) => {
    log(`failed to start: ${String(e)}`);
    process.exit(1);
  },
);
