/**
 * One mesh node in a worker, as the app runs it: the REAL port Link (workers/node/port-link.ts)
 * under the REAL mesh core (createMeshNode), with a real Ed25519 identity — or, for the profile,
 * the same core with signing and verification stubbed out through its public options.
 */
import { generateIdentity, type Identity } from '../src/protocol/identity.ts';
import type { Link } from '../src/protocol/link.ts';
import { createMeshNode, type MeshNode } from '../workers/node/mesh/index.ts';
import { createPortLink } from '../workers/node/port-link.ts';
import type {
  BurstRequest,
  ChannelWorkerApi,
  NodeName,
  NodeStats,
  PingRequest,
  WorkerStart,
} from './channel-api.ts';
import { FlowEndpoint, type SendBody } from './channel-flow.ts';
import { runMicro, timerStep } from './channel-micro.ts';
import { tracedBody, tracedLink, Tracer } from './channel-trace.ts';

const ZERO_SIG = new Uint8Array(64);

/** Same key and id as a real identity, but signing costs nothing (profile only). */
function stubSigner(real: Identity): Identity {
  return { ...real, sign: async () => ZERO_SIG };
}

export function createChannelWorkerApi(): ChannelWorkerApi {
  let node: MeshNode | undefined;
  const flow = new FlowEndpoint();
  const plain = new Map<string, Link>();
  const closers: (() => void)[] = [];
  const tracer = new Tracer();
  let me = '';

  const meshNode = (): MeshNode => {
    if (!node) throw new Error('start() first');
    return node;
  };

  const pipe = (via: 'mesh' | 'plain', to: string): SendBody => {
    if (via === 'plain') {
      const link = plain.get(to);
      if (!link) throw new Error(`no plain link to ${to}`);
      return (body) => link.send(body);
    }
    const n = meshNode();
    return (body) => {
      if (tracer.on && tracedBody(body.length)) tracer.mark(`${me} sendDirect`);
      return n.sendDirect(to, body).routed;
    };
  };

  return {
    async start(o: WorkerStart) {
      const real = await generateIdentity();
      const identity = o.crypto === 'real' ? real : stubSigner(real);
      flow.ackEvery = o.ackEvery;
      me = o.name;
      node = createMeshNode({
        identity,
        name: o.name,
        // The topology controller would ask for an A—C link; the relay case needs it absent,
        // and nothing here would act on the request anyway.
        topologyControl: false,
        ...(o.crypto === 'stub' ? { verify: async () => true } : {}),
      });
      const n = node;
      closers.push(
        n.onMessage((m) => {
          if (tracer.on && tracedBody(m.body.length)) tracer.mark(`${me} delivered`);
          flow.handle(m.from, m.body, pipe('mesh', m.from));
        }),
      );
      return {
        peerId: n.peerId,
        crossOriginIsolated: self.crossOriginIsolated,
        timerStepMs: timerStep(),
      };
    },

    addLink(port: MessagePort, peerId: string) {
      // The wrapper only timestamps ping-sized frames while a trace runs (one branch otherwise).
      meshNode().addLink(tracedLink(createPortLink(port, peerId), me, tracer));
    },

    addPlainLink(port: MessagePort, key: NodeName) {
      const link = createPortLink(port, key);
      plain.set(key, link);
      const reply: SendBody = (b) => link.send(b);
      closers.push(link.onMessage((bytes) => flow.handle(`plain:${key}`, bytes, reply)));
    },

    async waitReady({ neighbours, routes, timeoutMs }) {
      const n = meshNode();
      const t0 = performance.now();
      // Bounded poll: link handshakes and the first adverts settle within tens of ms.
      while (performance.now() - t0 < timeoutMs) {
        const linked = n.neighbours();
        if (
          neighbours.every((p) => linked.includes(p)) &&
          routes.every((p) => n.route(p) !== undefined)
        ) {
          return performance.now() - t0;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(
        `not ready after ${timeoutMs} ms: neighbours ${n.neighbours().join(',')} ` +
          `routes ${routes.map((p) => `${p.slice(0, 6)}:${n.route(p)?.length ?? 0}`).join(',')}`,
      );
    },

    burst(r: BurstRequest) {
      return flow.burst(pipe(r.via, r.to), r);
    },

    ping(r: PingRequest) {
      return flow.ping(pipe(r.via, r.to), r.n, r.size, r.timeoutMs);
    },

    stats(): NodeStats {
      const s = meshNode().stats();
      return {
        framesIn: s.framesIn,
        framesOut: s.framesOut,
        forwarded: s.forwarded,
        delivered: s.delivered,
        verifications: s.verifications,
        dropped: s.dropped,
        strays: flow.strays,
      };
    },

    trace(on: boolean) {
      tracer.on = on;
      return on ? [] : tracer.take();
    },

    micro(o) {
      return runMicro(o.bodyBytes, o.ops);
    },

    close() {
      for (const c of closers.splice(0)) c();
      for (const l of plain.values()) l.close('bench over');
      node?.close();
    },
  };
}
