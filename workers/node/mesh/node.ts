/**
 * createMeshNode: the public face of the mesh core. Nothing runs until the first link is added
 * (timers for advert refresh start at construction but send nothing without neighbours).
 */
import { MeshError } from '../../../src/protocol/errors.ts';
import { MAX_BODY_BYTES, MAX_SIGNAL_BODY_BYTES } from '../../../src/protocol/frame.ts';
import { resolveConfig } from './config.ts';
import { MeshCore } from './core.ts';
import type { MeshNode, MeshNodeOptions, TopologyView } from './types.ts';

export function createMeshNode(opts: MeshNodeOptions): MeshNode {
  const core = new MeshCore(resolveConfig(opts));
  const pathTo = (to: string): string[] | undefined => {
    const p = core.currentTable().path(to);
    return p.length > 1 ? p : undefined;
  };
  return {
    peerId: core.me,
    addLink: (link) => core.addLink(link),
    neighbours: () => [...core.neighbourIds()],
    sendDirect(to, body) {
      if (body.length > MAX_BODY_BYTES)
        throw new MeshError('oversize', `body of ${body.length} bytes`);
      return core.forwarder.sendRouted('data', to, body);
    },
    broadcast(body) {
      if (body.length > MAX_BODY_BYTES)
        throw new MeshError('oversize', `body of ${body.length} bytes`);
      return core.broadcaster.broadcast(body);
    },
    onMessage: (cb) => core.messages.add(cb),
    peers: () => core.peers(),
    onPeersChanged: (cb) => core.peersChanged.add(cb),
    topology: () => topologyOf(core),
    route: pathTo,
    routes: (to) => to.map(pathTo),
    onWantLink: (cb) => core.wantLink.add(cb),
    sendSignal(to, data) {
      if (data.length > MAX_SIGNAL_BODY_BYTES)
        throw new MeshError('oversize', `signal of ${data.length} bytes`);
      return core.forwarder.sendRouted('signal', to, data).routed;
    },
    onSignal: (cb) => core.signals.add(cb),
    stats: () => ({ ...core.stats, dropped: { ...core.stats.dropped } }),
    close: () => core.close(),
  };
}

/** Links that pass the two-way check; RTT is measured for our own links, estimated from cost otherwise. */
function topologyOf(core: MeshCore): TopologyView {
  const nodes = [...core.names].map(([peerId, name]) => ({ peerId, name }));
  if (!core.names.has(core.me)) nodes.push({ peerId: core.me, name: core.cfg.name });
  const links: TopologyView['links'] = [];
  for (const [a, e] of core.lsdb.entries) {
    for (const [b, costA] of e.peers) {
      if (a > b || !core.lsdb.linked(a, b)) continue;
      const cost = Math.max(costA, core.lsdb.peersOf(b)!.get(a)!);
      const own = a === core.me ? core.session(b) : b === core.me ? core.session(a) : undefined;
      links.push({ a, b, cost, rttMs: own ? own.rttMs : Math.max(0, (cost - 10) / 5) });
    }
  }
  return { nodes, links };
}
