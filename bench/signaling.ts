/**
 * Signaling server benchmark: our server vs a bare `ws` relay, side by side in one run. Each
 * server runs in its own forked process and the clients in another, so the memory and CPU we
 * read are the server's alone and one server's retained RSS cannot flatter the other.
 *
 *   (a) memory per connected socket (N idle sockets; ours joined to rooms, as browsers are)
 *   (b) server CPU per relayed signal (process.cpuUsage over M relays between two clients)
 *   (c) relay throughput (msgs/s, W in flight)
 *
 * Run: npx tsx bench/signaling.ts   (BENCH_SOCKETS, BENCH_MESSAGES override N and M)
 * Our rate limiter is raised for (b)/(c) (it still runs on every frame): a relay benchmark
 * would otherwise measure the limiter cutting the sender off.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { WebSocket, WebSocketServer } from 'ws';
import { randomId, toHex } from '../src/protocol/bytes.ts';
import { generateIdentity } from '../src/protocol/identity.ts';
import { SIGNALING_PATH, joinChallengeBytes } from '../src/protocol/signaling.ts';
import { createSignalServer } from '../server/create-server.ts';

const N = Number(process.env.BENCH_SOCKETS ?? 5000);
const M = Number(process.env.BENCH_MESSAGES ?? 50_000);
const WINDOW = 256;
const ROOM_SIZE = 50;
const HARD_LIMIT_MS = 120_000;
const CANDIDATE = {
  candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.33 54321 typ srflx raddr 10.0.0.2',
  sdpMid: '0',
  sdpMLineIndex: 0,
};

type Kind = 'ours' | 'bare';
type Cmd =
  | { op: 'open'; kind: Kind; url: string; n: number }
  | { op: 'close-all' }
  | { op: 'relay-setup'; kind: Kind; url: string }
  | { op: 'relay-run'; m: number };

// ---------------------------------------------------------------- client side (child process)

async function connect(kind: Kind, url: string, room: string) {
  if (kind === 'bare') {
    const id = randomId();
    const ws = new WebSocket(`${url}?id=${id}`);
    await once(ws, 'open');
    return { ws, id };
  }
  const ident = await generateIdentity();
  const ws = new WebSocket(url);
  const [hello] = (await once(ws, 'message')) as [Buffer];
  const { nonce } = JSON.parse(hello.toString()) as { nonce: string };
  const sig = await ident.sign(joinChallengeBytes(nonce, room));
  const welcome = once(ws, 'message');
  ws.send(
    JSON.stringify({
      t: 'join',
      room,
      peerId: ident.peerId,
      name: 'bench',
      publicKey: toHex(ident.publicKey),
      sig: toHex(sig),
    }),
  );
  await welcome;
  return { ws, id: ident.peerId };
}

function runClient(): void {
  const open: WebSocket[] = [];
  type Peer = { ws: WebSocket; id: string };
  let pair: { a: Peer; b: Peer; kind: Kind } | undefined;
  const reply = (m: unknown) => process.send!(m);
  const relay = async (m: number) => {
    if (!pair) throw new Error('relay before setup');
    const { a, b, kind } = pair;
    let received = 0;
    const done = new Promise<void>((resolve) =>
      b.ws.on('message', () => {
        if (++received === m) resolve();
      }),
    );
    const frame =
      kind === 'ours'
        ? JSON.stringify({ t: 'signal', to: b.id, data: CANDIDATE })
        : JSON.stringify({ to: b.id, data: CANDIDATE });
    const t0 = performance.now();
    for (let sent = 0; sent < m;) {
      if (sent - received < WINDOW) {
        a.ws.send(frame);
        sent++;
      } else await new Promise((r) => setImmediate(r));
    }
    await done;
    b.ws.removeAllListeners('message');
    return performance.now() - t0;
  };
  process.on('message', (cmd: Cmd) => {
    void (async () => {
      if (cmd.op === 'open') {
        for (let i = 0; i < cmd.n; i += 100) {
          const batch = Array.from({ length: Math.min(100, cmd.n - i) }, (_, j) =>
            connect(cmd.kind, cmd.url, `room-${Math.floor((i + j) / ROOM_SIZE)}`),
          );
          for (const c of await Promise.all(batch)) open.push(c.ws);
        }
        reply({ op: 'opened', n: open.length });
      } else if (cmd.op === 'close-all') {
        const closing = open.splice(0).map((ws) => (ws.close(), once(ws, 'close')));
        if (pair) {
          for (const ws of [pair.a.ws, pair.b.ws]) closing.push((ws.close(), once(ws, 'close')));
          pair = undefined;
        }
        await Promise.all(closing);
        reply({ op: 'closed' });
      } else if (cmd.op === 'relay-setup') {
        const a = await connect(cmd.kind, cmd.url, 'relay');
        const b = await connect(cmd.kind, cmd.url, 'relay');
        pair = { a, b, kind: cmd.kind };
        if (cmd.kind === 'ours') await once(a.ws, 'message'); // b's peer-joined
        await relay(5000); // warm-up: JIT, buffers
        reply({ op: 'ready' });
      } else {
        reply({ op: 'relayed', ms: await relay(cmd.m) });
      }
    })().catch((e: unknown) => {
      console.error('bench client failed:', e);
      process.exit(1);
    });
  });
}

// ---------------------------------------------------------------- servers (this process)

/** The baseline: what any relay must do (parse, look up, re-frame, send) and nothing more. */
function startBareRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const byId = new Map<string, WebSocket>();
  wss.on('connection', (ws, req) => {
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? randomId();
    byId.set(id, ws);
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { to: string; data: unknown };
      byId.get(m.to)?.send(JSON.stringify({ from: id, data: m.data }));
    });
    ws.on('close', () => byId.delete(id));
  });
  return new Promise((resolve) =>
    http.listen(0, '127.0.0.1', () =>
      resolve({
        url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`,
        close: () =>
          new Promise<void>((r) => {
            wss.close();
            http.close(() => r());
            http.closeAllConnections();
          }),
      }),
    ),
  );
}

async function startOurs(): Promise<{ url: string; close(): Promise<void> }> {
  const s = createSignalServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: null,
    log: () => undefined,
    maxConnections: N + 100,
    maxRoomSize: ROOM_SIZE + 10,
    rateLimit: { ratePerS: 1e9, burst: 1e9 },
  });
  await s.ready;
  return { url: `ws://127.0.0.1:${s.address().port}${SIGNALING_PATH}`, close: s.close };
}

/** Runs one server in this (forked) process and answers memory and CPU questions about it. */
async function runServer(kind: Kind): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const server = kind === 'ours' ? await startOurs() : await startBareRelay();
  process.on('message', (cmd: { op: 'mem' | 'cpu' }) => {
    void (async () => {
      if (cmd.op === 'cpu') return process.send!({ op: 'cpu', ...process.cpuUsage() });
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 100));
      }
      const m = process.memoryUsage();
      process.send!({ op: 'mem', rss: m.rss, heap: m.heapUsed + m.external });
    })();
  });
  process.send!({ op: 'listening', url: server.url });
}

function ask<T>(child: ChildProcess, cmd: unknown, expect: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: { op: string }) => {
      if (m.op !== expect) return;
      child.off('message', on);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number) => reject(new Error(`bench child exited (${code})`));
    child.on('message', on);
    child.once('exit', onExit);
    if (cmd) child.send(cmd as object);
  });
}

interface Figures {
  rssPerSocket: number;
  heapPerSocket: number;
  opened: number;
  cpuUsPerMsg: number;
  msgsPerS: number;
}

type Mem = { rss: number; heap: number };
type Cpu = { user: number; system: number };

/** A fresh server process per kind, so one's freed-but-kept RSS cannot flatter the other. */
async function measure(kind: Kind, clients: ChildProcess): Promise<Figures> {
  const server = fork(self, ['--server', kind], { stdio: 'inherit' });
  try {
    const { url } = await ask<{ url: string }>(server, undefined, 'listening');
    // Warm-up: first-use costs (JIT, WebCrypto's Ed25519 setup) are not per-socket costs.
    await ask(clients, { op: 'open', kind, url, n: 200 }, 'opened');
    await ask(clients, { op: 'close-all' }, 'closed');
    const before = await ask<Mem>(server, { op: 'mem' }, 'mem');
    const { n } = await ask<{ n: number }>(clients, { op: 'open', kind, url, n: N }, 'opened');
    const after = await ask<Mem>(server, { op: 'mem' }, 'mem');
    await ask(clients, { op: 'close-all' }, 'closed');

    await ask(clients, { op: 'relay-setup', kind, url }, 'ready');
    const cpu0 = await ask<Cpu>(server, { op: 'cpu' }, 'cpu');
    const { ms } = await ask<{ ms: number }>(clients, { op: 'relay-run', m: M }, 'relayed');
    const cpu1 = await ask<Cpu>(server, { op: 'cpu' }, 'cpu');
    await ask(clients, { op: 'close-all' }, 'closed');
    return {
      opened: n,
      rssPerSocket: (after.rss - before.rss) / n,
      heapPerSocket: (after.heap - before.heap) / n,
      cpuUsPerMsg: (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / M,
      msgsPerS: M / (ms / 1000),
    };
  } finally {
    server.kill();
  }
}

async function main(): Promise<void> {
  const abort = setTimeout(() => {
    console.error(`bench exceeded ${HARD_LIMIT_MS / 1000} s, aborting`);
    process.exit(2);
  }, HARD_LIMIT_MS);
  const child = fork(self, ['--client'], { stdio: 'inherit' });
  const t0 = Date.now();
  console.log(`signaling bench: N=${N} sockets, M=${M} relays, window ${WINDOW}, loopback`);
  const bare = await measure('bare', child);
  const ours = await measure('ours', child);
  child.kill();
  clearTimeout(abort);

  const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;
  const row = (label: string, o: string, b: string, ratio: number) =>
    console.log(
      `${label.padEnd(28)} ${o.padStart(14)} ${b.padStart(14)} ${ratio.toFixed(2).padStart(8)}`,
    );
  console.log(
    `${''.padEnd(28)} ${'ours'.padStart(14)} ${'bare ws'.padStart(14)} ${'ratio'.padStart(8)}`,
  );
  row('sockets held', String(ours.opened), String(bare.opened), ours.opened / bare.opened);
  row(
    'RSS per socket',
    kb(ours.rssPerSocket),
    kb(bare.rssPerSocket),
    ours.rssPerSocket / bare.rssPerSocket,
  );
  row(
    'heap+ext per socket',
    kb(ours.heapPerSocket),
    kb(bare.heapPerSocket),
    ours.heapPerSocket / bare.heapPerSocket,
  );
  row(
    'server CPU per relay',
    `${ours.cpuUsPerMsg.toFixed(2)} µs`,
    `${bare.cpuUsPerMsg.toFixed(2)} µs`,
    ours.cpuUsPerMsg / bare.cpuUsPerMsg,
  );
  row(
    'relay throughput',
    `${Math.round(ours.msgsPerS)}/s`,
    `${Math.round(bare.msgsPerS)}/s`,
    ours.msgsPerS / bare.msgsPerS,
  );
  console.log(
    `(ratios are ours/baseline: lower is better for memory and CPU, higher for throughput; ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

const self = fileURLToPath(import.meta.url);
const serverArg = process.argv.indexOf('--server');
if (process.argv.includes('--client')) runClient();
else if (serverArg > 0) void runServer(process.argv[serverArg + 1] === 'ours' ? 'ours' : 'bare');
else
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
