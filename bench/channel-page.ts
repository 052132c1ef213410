/**
 * The channel bench page. Everything lives in this one page, as in the app: the data channels on
 * the main thread, each mesh node in its own worker, every link = the REAL bridge
 * (src/net/channel-bridge.ts) + the REAL port Link + the REAL mesh core. A raw channel pair sits
 * beside them as the baseline. The driver (channel.ts) calls globalThis.channelBench.
 *
 *   raw:  main ⇄ RTCDataChannel ⇄ main
 *   A—B, B—C (real crypto), D—E (signatures stubbed), A~B plain (port Link, no mesh)
 */
import * as Comlink from 'comlink';
import { bridgeChannel, type ChannelBridge } from '../src/net/channel-bridge.ts';
import type {
  ChannelPageApi,
  ChannelWorkerApi,
  NodeName,
  NodeStats,
  WorkerStart,
} from './channel-api.ts';
import { timerStep } from './channel-micro.ts';
import { rawBurst, rawPing, rawRelay } from './channel-raw.ts';
import { openChannelPair, type ChannelPair } from './channel-rtc.ts';
import { stageBreakdown, tracedSize, Tracer } from './channel-trace.ts';

interface NodeHandle {
  worker: Worker;
  api: Comlink.Remote<ChannelWorkerApi>;
  peerId: string;
}

const NAMES: readonly NodeName[] = ['A', 'B', 'C', 'D', 'E'];
const nodes = new Map<NodeName, NodeHandle>();
const pairs: ChannelPair[] = [];
const bridges: ChannelBridge[] = [];
/** A bridge that closes during the bench is a failure the driver must hear about. */
const closedLinks: string[] = [];
let raw: ChannelPair | undefined;
let relayed: ReturnType<typeof rawRelay> | undefined;
const tracer = new Tracer();

const node = (n: NodeName): NodeHandle => {
  const h = nodes.get(n);
  if (!h) throw new Error(`node ${n} not started`);
  return h;
};

async function startNode(o: WorkerStart): Promise<NodeHandle> {
  const worker = new Worker(new URL('./channel-worker.ts', import.meta.url), {
    type: 'module',
    name: `channel-node-${o.name}`,
  });
  const api = Comlink.wrap<ChannelWorkerApi>(worker);
  const info = await api.start(o);
  return { worker, api, peerId: info.peerId };
}

/** One side of a link: the channel bridged to a fresh port whose other end goes to the worker. */
function bridgeTo(label: string, who: NodeName, channel: RTCDataChannel): MessagePort {
  const { port1, port2 } = new MessageChannel();
  bridges.push(bridgeChannel(channel, port1, (reason) => closedLinks.push(`${label}: ${reason}`)));
  // Extra listeners beside the bridge's own handlers: they only timestamp, and only in a trace.
  const size = (d: unknown) => (d instanceof ArrayBuffer ? d.byteLength : 0);
  port1.addEventListener('message', (ev) => {
    if (tracer.on && tracedSize(size(ev.data))) tracer.mark(`main: ${who}'s port → bridge`);
  });
  channel.addEventListener('message', (ev) => {
    if (tracer.on && tracedSize(size(ev.data))) tracer.mark(`main: channel → ${who}'s bridge`);
  });
  return port2;
}

async function link(x: NodeName, y: NodeName, plain: boolean, timeoutMs: number): Promise<void> {
  const label = `${x}${plain ? '~' : '—'}${y}`;
  const pair = await openChannelPair(label, timeoutMs);
  pairs.push(pair);
  const px = bridgeTo(`${label} at ${x}`, x, pair.a);
  const py = bridgeTo(`${label} at ${y}`, y, pair.b);
  if (plain) {
    await node(x).api.addPlainLink(Comlink.transfer(px, [px]), y);
    await node(y).api.addPlainLink(Comlink.transfer(py, [py]), x);
  } else {
    await node(x).api.addLink(Comlink.transfer(px, [px]), node(y).peerId);
    await node(y).api.addLink(Comlink.transfer(py, [py]), node(x).peerId);
  }
}

const api: ChannelPageApi = {
  async setup({ ackEvery, timeoutMs }) {
    const t0 = performance.now();
    const started = await Promise.all(
      NAMES.map((name) =>
        startNode({ name, ackEvery, crypto: name === 'D' || name === 'E' ? 'stub' : 'real' }),
      ),
    );
    NAMES.forEach((n, i) => nodes.set(n, started[i]!));
    raw = await openChannelPair('raw', timeoutMs);
    pairs.push(raw);
    const hop1 = await openChannelPair('raw-relay-1', timeoutMs);
    const hop2 = await openChannelPair('raw-relay-2', timeoutMs);
    pairs.push(hop1, hop2);
    relayed = rawRelay(hop1, hop2);
    await link('A', 'B', false, timeoutMs);
    await link('B', 'C', false, timeoutMs);
    await link('D', 'E', false, timeoutMs);
    await link('A', 'B', true, timeoutMs);
    const connectMs = performance.now() - t0;
    const id = (n: NodeName) => node(n).peerId;
    const ready = await Promise.all([
      node('A').api.waitReady({ neighbours: [id('B')], routes: [id('C')], timeoutMs }),
      node('B').api.waitReady({ neighbours: [id('A'), id('C')], routes: [], timeoutMs }),
      node('C').api.waitReady({ neighbours: [id('B')], routes: [id('A')], timeoutMs }),
      node('D').api.waitReady({ neighbours: [id('E')], routes: [], timeoutMs }),
      node('E').api.waitReady({ neighbours: [id('D')], routes: [], timeoutMs }),
    ]);
    return {
      userAgent: navigator.userAgent,
      crossOriginIsolated: self.crossOriginIsolated,
      timerStepMs: timerStep(),
      connectMs,
      readyMs: Math.max(...ready),
    };
  },

  rawBurst({ bytes, chunk, timeoutMs }) {
    if (!raw) throw new Error('setup() first');
    return rawBurst(raw, bytes, chunk, timeoutMs);
  },

  rawPing({ n, size, timeoutMs }) {
    if (!raw) throw new Error('setup() first');
    return rawPing(raw, n, size, timeoutMs);
  },

  async rawRelayBurst({ bytes, chunk, timeoutMs }) {
    if (!relayed) throw new Error('setup() first');
    const t = await rawBurst(relayed, bytes, chunk, timeoutMs);
    return { ...t, maxQueued: relayed.maxQueued() };
  },

  rawRelayPing({ n, size, timeoutMs }) {
    if (!relayed) throw new Error('setup() first');
    return rawPing(relayed, n, size, timeoutMs);
  },

  async burst(o) {
    const to = o.via === 'mesh' ? node(o.to).peerId : o.to;
    const r = await node(o.from).api.burst({ ...o, to });
    if (closedLinks.length > 0) throw new Error(`links closed: ${closedLinks.join('; ')}`);
    return r;
  },

  async ping(o) {
    const to = o.via === 'mesh' ? node(o.to).peerId : o.to;
    return node(o.from).api.ping({ ...o, to });
  },

  async stats() {
    const out = {} as Record<NodeName, NodeStats>;
    for (const n of NAMES) out[n] = await node(n).api.stats();
    return out;
  },

  micro(o) {
    return node('A').api.micro(o);
  },

  async trace(o) {
    const all = [...nodes.values()];
    await Promise.all(all.map((h) => h.api.trace(true)));
    tracer.on = true;
    try {
      await api.ping(o);
    } finally {
      tracer.on = false;
    }
    const events = [tracer.take()];
    for (const h of all) events.push(await h.api.trace(false));
    return stageBreakdown(events.flat(), `${o.from} sendDirect`);
  },

  async teardown() {
    for (const h of nodes.values()) {
      await h.api.close();
      h.worker.terminate();
    }
    nodes.clear();
    for (const b of bridges.splice(0)) b.close('bench over');
    for (const p of pairs.splice(0)) p.close();
    raw = relayed = undefined;
  },
};

(globalThis as unknown as { channelBench: ChannelPageApi }).channelBench = api;
document.body.dataset.ready = 'true';
