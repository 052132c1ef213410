/**
 * Starts one mesh node in the worker: opens the store and identity, builds the mesh core, the
 * outbox, the inbox, screening and link planning, and wires their events together. The Comlink
 * API over it lives in node-service.ts.
 */
import { makeCard } from '../../src/protocol/app-message.ts';
import { MeshError } from '../../src/protocol/errors.ts';
import type { SignalData } from '../../src/protocol/signaling.ts';
import type { ChatMessage, NodeEvent, StartOptions } from './api.ts';
import { toStored } from './history.ts';
import { createInbox, type Incoming } from './inbox.ts';
import { createKeyDirectory } from './key-directory.ts';
import { createLinkPlanner } from './link-planner.ts';
import { createMeshNode, DEFAULT_MAX_LINKS, DEFAULT_MIN_LINKS } from './mesh/index.ts';
import { createOutboxPump } from './outbox-pump.ts';
import { createPeerDirectory } from './peer-directory.ts';
import { openMeshDb, type MeshDb } from './store/db.ts';
import { loadOrCreateIdentity } from './store/identity-store.ts';
import { createCarryStore } from './store/carry-store.ts';
import { createMessageStore } from './store/message-store.ts';
import { createOutboxStore } from './store/outbox-store.ts';
import { createPeerStore } from './store/peer-store.ts';
import { createSettingsStore } from './store/settings-store.ts';
import { createScreening } from './screening.ts';

const TICK_MS = 2_000;
/** How long the outbox keeps trying (and carriers keep carrying) a direct message. */
export const DIRECT_TTL_MS = 7 * 24 * 3600_000;
const decoder = new TextDecoder();

export async function startNode(opts: StartOptions, onEvent: (e: NodeEvent) => void) {
  const db: MeshDb = await openMeshDb({ name: opts.dbName });
  const { identity, dh } = await loadOrCreateIdentity(db);
  const name = opts.name || `peer-${identity.peerId.slice(0, 6)}`;
  // Degree targets chosen by simulation (scripts/sim/README.md): 3..6; `&maxLinks=N` caps both.
  const maxLinks = opts.maxLinks ?? DEFAULT_MAX_LINKS;
  const minLinks = Math.min(opts.minLinks ?? DEFAULT_MIN_LINKS, maxLinks);
  const mesh = createMeshNode({ identity, name, minLinks, maxLinks });
  const dir = createPeerDirectory(identity.peerId);
  const messages = createMessageStore(db);
  const outbox = createOutboxStore(db, { baseMs: 3_000, maxMs: 60_000 });
  const carry = createCarryStore(db);
  const peerStore = createPeerStore(db);
  const emit = (e: NodeEvent) => {
    // The UI may be gone (tab closing); a failed event must not break the mesh.
    Promise.resolve(onEvent(e)).catch(() => undefined);
  };
  const report = (e: unknown) => {
    const err = e instanceof MeshError ? e : new MeshError('internal', String(e), { cause: e });
    emit({ type: 'error', code: err.code, message: err.message });
  };

  const reachable = (peerId: string) => mesh.route(peerId) !== undefined;
  const send = (to: string, body: Uint8Array) => mesh.sendDirect(to, body).routed;
  const carriers = () => mesh.neighbours();
  const keys = createKeyDirectory({
    peers: peerStore,
    ownCard: await makeCard(identity, dh.publicKey),
    send,
  });
  const pump = createOutboxPump({
    identity,
    outbox,
    messages,
    keys,
    send,
    broadcast: (body) => mesh.broadcast(body),
    reachable,
    carriers,
    onStatus: (msgId, status) => emit({ type: 'status', msgId, status }),
    onCarried: (msgId, carriers) => emit({ type: 'carried', msgId, carriers }),
    onError: report,
  });
  const screening = createScreening({ settings: createSettingsStore(db), onError: report });
  const deliver = async (m: Incoming) => {
    if (m.chat.name) dir.learnName(m.from, m.chat.name);
    const spam = await screening.screen(m.msgId, m.from, m.chat.text);
    const message: ChatMessage = {
      msgId: m.msgId,
      conversation: m.kind === 'room' ? 'room' : `dm:${m.from}`,
      from: m.from,
      fromName: m.chat.name || dir.nameOf(m.from),
      text: m.chat.text,
      ts: m.chat.ts,
      direction: 'in',
      hops: m.hops,
      ...(spam ? { spam } : {}),
    };
    if (await messages.append(toStored(message, opts.room, Date.now()))) {
      emit({ type: 'message', message });
    }
  };
  const inbox = createInbox({
    identity,
    dhPrivateKey: dh.keyPair.privateKey,
    keys,
    outbox,
    pump,
    messages,
    carry,
    send,
    reachable,
    carriers,
    deliver,
    onRejected: (from, err) =>
      report(new MeshError(err.code, `from ${from.slice(0, 8)}: ${err.message}`)),
  });
  keys.onLearned((peerId) => {
    outbox.makeDueFor(peerId, Date.now()).then(() => pump.pump(), report);
  });

  const planner = createLinkPlanner({
    minLinks,
    neighbours: () => mesh.neighbours(),
    candidates: () => dir.roomMembers(),
    dial: (peerId) => emit({ type: 'want-link', peerId }),
  });

  /** What we can reach now: adverts of departed peers linger until they age out; hide them. */
  const liveTopology = () => {
    const live = new Set(
      mesh
        .peers()
        .filter((p) => p.reachable)
        .map((p) => p.peerId),
    );
    live.add(identity.peerId);
    const t = mesh.topology();
    return {
      self: identity.peerId,
      nodes: t.nodes.filter((n) => live.has(n.peerId)),
      links: t.links.filter((l) => live.has(l.a) && live.has(l.b)),
    };
  };
  // The diagnostics picture follows the topology, at most a few times a second.
  let topologyTimer: ReturnType<typeof setTimeout> | undefined;
  const publishTopology = () => {
    topologyTimer ??= setTimeout(() => {
      topologyTimer = undefined;
      emit({ type: 'topology', topology: liveTopology() });
    }, 250);
  };

  /** Next hop towards each reachable peer at the last look. */
  let lastHop = new Map<string, string>();
  /**
   * Acts on peers whose route is new since the last look — newly reachable, or reached through
   * another next hop (what we sent down the old route may have been lost with it). Called on
   * every topology change and every tick, so a missed change costs at most one tick.
   */
  const reconcile = () => {
    const views = mesh.peers();
    const now = new Map<string, string>();
    for (const p of views) if (p.reachable) now.set(p.peerId, p.nextHop ?? p.peerId);
    for (const [id, hop] of now) {
      if (lastHop.get(id) === hop) continue;
      // A route appeared: swap cards, flush what waits for it, hand over what we carry.
      keys.ensure(id).catch(report);
      outbox.makeDueFor(id, Date.now()).then(() => pump.pump(), report);
      inbox.handOver(id, true).catch(report);
    }
    lastHop = now;
    return views;
  };
  const onPeers = () => {
    publishTopology();
    dir.setMeshPeers(reconcile());
    emit({ type: 'peers', peers: dir.entries() });
    planner.plan();
  };
  /** Carried mail whose recipient is reachable but was missed (e.g. it arrived after the route). */
  const handOverCarried = async () => {
    for (const to of await carry.recipients()) if (reachable(to)) await inbox.handOver(to);
  };

  mesh.onMessage((m) => void inbox.receive(m.from, m.body, m.hops));
  mesh.onPeersChanged(onPeers);
  mesh.onWantLink((peerId) => emit({ type: 'want-link', peerId }));
  mesh.onSignal((from, bytes) => {
    let data: unknown;
    try {
      data = JSON.parse(decoder.decode(bytes));
    } catch {
      report(new MeshError('bad-json', `signal from ${from.slice(0, 8)} is not JSON`));
      return;
    }
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      emit({ type: 'signal', from, data: data as SignalData });
    }
  });

  const timer = setInterval(() => {
    reconcile();
    handOverCarried().catch(report);
    planner.plan();
    pump.pump().catch(report);
  }, TICK_MS);
  // Whatever was queued before the last close goes out now (or as soon as a route appears).
  pump.pump().catch(report);

  return {
    db,
    identity,
    name,
    mesh,
    dir,
    messages,
    pump,
    planner,
    report,
    emit,
    timer,
    liveTopology,
    screening,
    /** Re-publishes the peer list (room members merged with the mesh) and re-plans links. */
    refreshPeers: onPeers,
    room: opts.room,
  };
}

export type NodeRuntime = Awaited<ReturnType<typeof startNode>>;
