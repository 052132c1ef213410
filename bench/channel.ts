/**
 * Channel bench: our framed, signed data path against a raw RTCDataChannel, side by side in one
 * real Chromium page (channel-page.ts), with warm-up, interleaved rounds and medians.
 *
 *   throughput  raw 64 KiB messages  vs  ours: 60 KiB bodies via sendDirect (A→B), and A→C via B
 *   RTT         64 B echo, raw       vs  ours: sendDirect + echo (A→B, A→C)
 *   profile     the same port Link + bridge with no mesh (A~B plain), the mesh with signatures
 *               stubbed (D→E), and per-frame costs of sign/verify/encode/parse/port hop
 *
 * Run (root, loopback-only namespace):
 *   unshare -n sh -c 'ip link set lo up && exec npx tsx bench/channel.ts'
 * Env: CHANNEL_MB (MB per throughput run, default 48), CHANNEL_RUNS (default 5),
 * CHANNEL_WINDOW (bodies in flight, default 32), CHANNEL_PINGS (per run, default 300),
 * CHANNEL_PROFILE=0 skips the profile cases.
 */
import { loadavg } from 'node:os';
import { runInBenchBrowser } from './bench-vite.ts';
import type { Browser, Page } from '@playwright/test';
import { MAX_BODY_BYTES } from '../src/protocol/frame-types.ts';
import type { ChannelPageApi, MicroResult, NodeName, Transfer, Via } from './channel-api.ts';
import { cpuDiff, cpuSnapshot } from './channel-cpu.ts';
import { fx, mbps, median, quantile, table, type Row } from './channel-report.ts';

const HARD_LIMIT_MS = 230_000;
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const RUN_BYTES = env('CHANNEL_MB', 48) * 1e6;
const RUNS = env('CHANNEL_RUNS', 5);
const WINDOW = env('CHANNEL_WINDOW', 32);
const ACK_EVERY = 8;
const PINGS = env('CHANNEL_PINGS', 300);
const PING_RUNS = 5;
const PING_SIZE = 64;
const RAW_CHUNK = 64 * 1024;
const BODY = MAX_BODY_BYTES;
const PROFILE = process.env.CHANNEL_PROFILE !== '0';
const CALL_TIMEOUT_MS = 40_000;

type Api = ChannelPageApi;

function call<M extends keyof Api>(
  page: Page,
  method: M,
  arg?: Parameters<Api[M]>[0],
): Promise<Awaited<ReturnType<Api[M]>>> {
  return page.evaluate(
    ([m, a]) => {
      const api = (
        globalThis as unknown as { channelBench: Record<string, (x: unknown) => unknown> }
      ).channelBench;
      return api[m]!(a);
    },
    [method, arg] as const,
  ) as Promise<Awaited<ReturnType<Api[M]>>>;
}

interface Case {
  key: string;
  label: string;
  run: (bytes: number) => Promise<Transfer>;
  ping: (n: number) => Promise<number[]>;
}

function cases(page: Page): Case[] {
  const ours = (key: string, label: string, from: NodeName, to: NodeName, via: Via): Case => ({
    key,
    label,
    run: (bytes) =>
      call(page, 'burst', {
        from,
        to,
        via,
        bodyBytes: BODY,
        count: Math.ceil(bytes / BODY),
        window: WINDOW,
        ackEvery: ACK_EVERY,
        timeoutMs: CALL_TIMEOUT_MS,
      }),
    ping: (n) =>
      call(page, 'ping', { from, to, via, n, size: PING_SIZE, timeoutMs: CALL_TIMEOUT_MS }),
  });
  const list: Case[] = [
    {
      key: 'raw',
      label: `raw RTCDataChannel, ${RAW_CHUNK / 1024} KiB messages`,
      run: (bytes) =>
        call(page, 'rawBurst', { bytes, chunk: RAW_CHUNK, timeoutMs: CALL_TIMEOUT_MS }),
      ping: (n) => call(page, 'rawPing', { n, size: PING_SIZE, timeoutMs: CALL_TIMEOUT_MS }),
    },
    ours('direct', 'ours direct A→B (sendDirect, signed)', 'A', 'B', 'mesh'),
    ours('relay', 'ours relayed A→B→C', 'A', 'C', 'mesh'),
    {
      key: 'rawrelay',
      label: 'raw, relayed on the main thread (2 channels)',
      run: (bytes) =>
        call(page, 'rawRelayBurst', { bytes, chunk: RAW_CHUNK, timeoutMs: CALL_TIMEOUT_MS }),
      ping: (n) => call(page, 'rawRelayPing', { n, size: PING_SIZE, timeoutMs: CALL_TIMEOUT_MS }),
    },
  ];
  if (PROFILE) {
    list.push(
      ours('plain', 'profile: bridge + port Link only, no mesh', 'A', 'B', 'plain'),
      ours('stub', 'profile: mesh with signatures stubbed (D→E)', 'D', 'E', 'mesh'),
    );
  }
  return list;
}

/** Browser CPU ms per case, summed over its rounds, by "process / thread". */
type CpuByCase = Map<string, Map<string, number>>;

/** Interleaved rounds (start case rotates) so background load on the 2 shared cores hits all. */
async function throughput(list: Case[], cpu: CpuByCase): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(list.map((c) => [c.key, []]));
  for (let r = 0; r < RUNS; r++) {
    const line: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const c = list[(i + r) % list.length]!;
      const before = cpuSnapshot();
      const t = await c.run(RUN_BYTES);
      const used = cpu.get(c.key) ?? new Map<string, number>();
      for (const { thread, ms } of cpuDiff(before, cpuSnapshot()))
        used.set(thread, (used.get(thread) ?? 0) + ms);
      cpu.set(c.key, used);
      const v = mbps(t.bytes, t.ms);
      out.get(c.key)!.push(v);
      line.push(`${c.key} ${fx(v, 1)}`);
    }
    console.log(`    round ${r + 1}: ${line.join('  ')} MB/s`);
  }
  return out;
}

/** CPU ms per MB moved, total and for the busiest threads: where each case's time goes. */
function printCpu(list: Case[], cpu: CpuByCase): Map<string, number> {
  const mb = (RUNS * RUN_BYTES) / 1e6;
  const totals = new Map<string, number>();
  for (const c of list) {
    const used = [...(cpu.get(c.key) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const total = used.reduce((a, [, ms]) => a + ms, 0);
    totals.set(c.key, total / mb);
    const top = used
      .slice(0, 6)
      .map(([t, ms]) => `${t} ${fx(ms / mb, 1)}`)
      .join('; ');
    console.log(`    ${c.key.padEnd(8)} ${fx(total / mb, 1).padStart(6)} ms/MB: ${top}`);
  }
  return totals;
}

interface PingFigures {
  p50: number;
  p99: number;
}

async function pings(list: Case[]): Promise<Map<string, PingFigures[]>> {
  const out = new Map<string, PingFigures[]>(list.map((c) => [c.key, []]));
  for (let r = 0; r < PING_RUNS; r++) {
    for (let i = 0; i < list.length; i++) {
      const c = list[(i + r) % list.length]!;
      const s = await c.ping(PINGS);
      out.get(c.key)!.push({ p50: quantile(s, 0.5), p99: quantile(s, 0.99) });
    }
  }
  return out;
}

function printMicro(title: string, rows: MicroResult[]): void {
  console.log(`    ${title}`);
  for (const r of rows) console.log(`      ${r.label.padEnd(44)} ${fx(r.us, 1).padStart(8)} µs`);
}

async function bench(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext();
  try {
    // Without camera/mic permission Chromium filters every local candidate (RECIPES.md).
    await context.grantPermissions(['camera', 'microphone']);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`  [console] ${m.text()}`);
    });
    await page.goto(`${url}/bench/channel.html`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    const info = await call(page, 'setup', { ackEvery: ACK_EVERY, timeoutMs: 15_000 });
    console.log(info.userAgent);
    console.log(
      `crossOriginIsolated=${info.crossOriginIsolated}, timer step ${fx(info.timerStepMs * 1000, 1)} µs; ` +
        `5 workers, 5 channel pairs up in ${fx(info.connectMs, 0)} ms, mesh ready +${fx(info.readyMs, 0)} ms`,
    );
    console.log(
      `load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (2 cores, shared)`,
    );
    const list = cases(page);

    console.log('\nwarm-up (not counted)');
    for (const c of list) {
      const t = await c.run(RUN_BYTES / 3);
      console.log(`    ${c.key} ${fx(mbps(t.bytes, t.ms), 1)} MB/s`);
      await c.ping(50);
    }

    console.log(
      `\n1. throughput: ${RUNS} rounds of ${RUN_BYTES / 1e6} MB each (MB = 10^6 B of payload); ` +
        `ours: ${BODY} B bodies, window ${WINDOW} bodies, ack every ${ACK_EVERY}`,
    );
    const cpu: CpuByCase = new Map();
    const tp = await throughput(list, cpu);
    const tmed = (k: string) => median(tp.get(k) ?? []);
    const paired = (a: string, b: string) =>
      median((tp.get(a) ?? []).map((x, i) => x / tp.get(b)![i]!));
    for (const c of list)
      console.log(`    ${c.label.padEnd(46)} ${fx(tmed(c.key), 1).padStart(6)} MB/s (median)`);

    console.log(`\n2. RTT: ${PING_SIZE} B echo, ${PING_RUNS} runs × ${PINGS} sequential pings`);
    const pg = await pings(list);
    const pmed = (k: string, q: keyof PingFigures) => median((pg.get(k) ?? []).map((f) => f[q]));
    for (const c of list)
      console.log(
        `    ${c.label.padEnd(46)} p50 ${fx(pmed(c.key, 'p50'), 3)} ms  p99 ${fx(pmed(c.key, 'p99'), 3)} ms`,
      );

    console.log(
      '\n   browser CPU per MB moved (all threads of the Chromium we launched; 10 ms ticks)',
    );
    const cpuPerMb = printCpu(list, cpu);

    const stats = await call(page, 'stats');
    console.log('\n3. node counters (drops and strays must be empty/0)');
    for (const [n, s] of Object.entries(stats)) {
      console.log(
        `    ${n}: in ${s.framesIn} out ${s.framesOut} delivered ${s.delivered} forwarded ${s.forwarded} ` +
          `verifications ${s.verifications} strays ${s.strays} dropped ${JSON.stringify(s.dropped)}`,
      );
    }

    if (PROFILE) {
      console.log('\n4. profile: per-frame costs in a node worker (product functions)');
      printMicro(`${BODY} B body`, await call(page, 'micro', { bodyBytes: BODY, ops: 40 }));
      printMicro(
        `${PING_SIZE} B body`,
        await call(page, 'micro', { bodyBytes: PING_SIZE, ops: 200 }),
      );
      for (const [from, to, what] of [
        ['A', 'B', 'direct'],
        ['A', 'C', 'relayed'],
      ] as const) {
        console.log(
          `\n5. profile: one ${PING_SIZE} B round trip ${what}, stage by stage (median µs)`,
        );
        const stages = await call(page, 'trace', {
          from,
          to,
          via: 'mesh',
          n: 200,
          size: PING_SIZE,
          timeoutMs: CALL_TIMEOUT_MS,
        });
        for (const st of stages)
          console.log(`    ${st.stage.padEnd(64)} ${fx(st.us, 0).padStart(6)}`);
      }
    }

    const rDirect = paired('direct', 'raw');
    const rRelay = paired('relay', 'direct');
    const rtt = (k: string, q: keyof PingFigures) => pmed(k, q) / pmed('raw', q);
    const rows: Row[] = [
      {
        what: 'throughput, ours direct vs raw',
        ours: `${fx(tmed('direct'), 1)} MB/s`,
        base: `${fx(tmed('raw'), 1)} MB/s`,
        ratio: `${fx(rDirect)}×`,
        target: '≥ 0.9×',
        ok: rDirect >= 0.9,
      },
      {
        what: 'throughput, ours relayed vs ours direct',
        ours: `${fx(tmed('relay'), 1)} MB/s`,
        base: `${fx(tmed('direct'), 1)} MB/s`,
        ratio: `${fx(rRelay)}×`,
        target: '≥ 0.7×',
        ok: rRelay >= 0.7,
      },
      {
        what: 'throughput, ours relayed vs raw',
        ours: `${fx(tmed('relay'), 1)} MB/s`,
        base: `${fx(tmed('raw'), 1)} MB/s`,
        ratio: `${fx(paired('relay', 'raw'))}×`,
        target: '(info)',
        ok: undefined,
      },
      {
        what: 'throughput, raw relayed vs raw direct',
        ours: `${fx(tmed('rawrelay'), 1)} MB/s`,
        base: `${fx(tmed('raw'), 1)} MB/s`,
        ratio: `${fx(paired('rawrelay', 'raw'))}×`,
        target: '(machine)',
        ok: undefined,
      },
      {
        what: 'throughput, ours relayed vs raw relayed',
        ours: `${fx(tmed('relay'), 1)} MB/s`,
        base: `${fx(tmed('rawrelay'), 1)} MB/s`,
        ratio: `${fx(paired('relay', 'rawrelay'))}×`,
        target: '(info)',
        ok: undefined,
      },
      {
        what: `RTT p50, ours direct vs raw (${PING_SIZE} B)`,
        ours: `${fx(pmed('direct', 'p50'), 3)} ms`,
        base: `${fx(pmed('raw', 'p50'), 3)} ms`,
        ratio: `${fx(rtt('direct', 'p50'))}×`,
        target: '≤ 1.2×',
        ok: rtt('direct', 'p50') <= 1.2,
      },
      {
        what: `RTT p99, ours direct vs raw (${PING_SIZE} B)`,
        ours: `${fx(pmed('direct', 'p99'), 3)} ms`,
        base: `${fx(pmed('raw', 'p99'), 3)} ms`,
        ratio: `${fx(rtt('direct', 'p99'))}×`,
        target: '≤ 1.2×',
        ok: rtt('direct', 'p99') <= 1.2,
      },
      {
        what: `RTT p50, ours relayed vs raw relayed`,
        ours: `${fx(pmed('relay', 'p50'), 3)} ms`,
        base: `${fx(pmed('rawrelay', 'p50'), 3)} ms`,
        ratio: `${fx(pmed('relay', 'p50') / pmed('rawrelay', 'p50'))}×`,
        target: '(info)',
        ok: undefined,
      },
    ];
    // CPU per MB does not depend on how busy the shared cores are: on a CPU-bound box it is the
    // throughput ratio we would converge to, so it is the steadier figure beside the MB/s one.
    const cpuRow = (k: string, base: string, what: string): Row => ({
      what,
      ours: `${fx(cpuPerMb.get(k) ?? NaN, 1)} ms/MB`,
      base: `${fx(cpuPerMb.get(base) ?? NaN, 1)} ms/MB`,
      ratio: `${fx((cpuPerMb.get(k) ?? NaN) / (cpuPerMb.get(base) ?? NaN))}×`,
      target: '(profile)',
      ok: undefined,
    });
    rows.push(
      cpuRow('direct', 'raw', 'browser CPU/MB, ours direct vs raw'),
      cpuRow('relay', 'rawrelay', 'browser CPU/MB, ours relayed vs raw relayed'),
    );
    if (PROFILE) {
      for (const k of ['plain', 'stub']) {
        rows.push({
          what: `throughput, ${k === 'plain' ? 'bridge+port only' : 'mesh, sigs stubbed'} vs raw`,
          ours: `${fx(tmed(k), 1)} MB/s`,
          base: `${fx(tmed('raw'), 1)} MB/s`,
          ratio: `${fx(paired(k, 'raw'))}×`,
          target: '(profile)',
          ok: undefined,
        });
        rows.push({
          what: `RTT p50, ${k === 'plain' ? 'bridge+port only' : 'mesh, sigs stubbed'} vs raw`,
          ours: `${fx(pmed(k, 'p50'), 3)} ms`,
          base: `${fx(pmed('raw', 'p50'), 3)} ms`,
          ratio: `${fx(rtt(k, 'p50'))}×`,
          target: '(profile)',
          ok: undefined,
        });
      }
    }
    console.log('\nsummary (medians; throughput ratios are medians of per-round pairs)');
    table(rows);
    await call(page, 'teardown');
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await runInBenchBrowser(
    {
      name: 'channel bench',
      hardLimitMs: HARD_LIMIT_MS,
      entry: 'bench/channel.html',
      include: ['comlink'],
    },
    async (browser, url) => {
      await bench(browser, url);
      console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    },
  );
}

await main();
