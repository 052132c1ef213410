import { describe, expect, it } from 'vitest';
import { SIGNALING_PATH } from '../src/protocol/signaling.ts';
import { spawnCli } from './cli-process.ts';
import { joined } from './test-support.ts';

describe('CLI (server/main.ts)', () => {
  it('logs one listening line, serves, and exits 0 on SIGTERM after closing sockets', async () => {
    const cli = await spawnCli({ STATIC_DIR: '/nonexistent-katya-dist' });
    try {
      const lines = cli.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ .*bus=memory/);
      const health = await fetch(`http://127.0.0.1:${cli.port}/health`);
      expect(health.status).toBe(200);
      const a = await joined(`ws://127.0.0.1:${cli.port}${SIGNALING_PATH}`, 'cli');
      cli.child.kill('SIGTERM');
      expect((await a.client.closed).code).toBe(1001);
      expect(await cli.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  });
});
