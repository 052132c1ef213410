/**
 * Test harness: a throwaway redis-server on a free loopback port, no persistence, killed by PID.
 * A missing binary is an error, not a skip: CI installs redis-server, and a silently skipped
 * multi-instance test would hide a broken Redis bus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MeshError } from '../src/protocol/errors.ts';
import { freePort } from './free-port.ts';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface RedisProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(timeoutMs = 10_000): Promise<RedisProcess> {
  if (!existsSync(REDIS_SERVER)) {
    throw new MeshError(
      'internal',
      `${REDIS_SERVER} not found: install it (apt-get install -y redis-server; .ci/run does) ` +
        'to run the multi-instance tests',
    );
  }
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new MeshError('timeout', `redis-server did not start: ${out}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new MeshError('internal', `redis-server exited (${code}): ${out}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
