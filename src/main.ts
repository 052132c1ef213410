/**
 * Composition root of the main thread. It owns only what must live here: the DOM, the signaling
 * socket and the RTCPeerConnections (Chromium exposes WebRTC to windows only). Everything the
 * mesh decides (who to link to, routing, storage) happens in the node worker.
 */
import './net/polyfills.ts';
import './ui/styles.css';
import * as Comlink from 'comlink';
import type {
  ChatMessage,
  Conversation,
  NodeApi,
  NodeEvent,
  PeerEntry,
} from '../workers/node/api.ts';
import { createPeerConnector } from './net/peer-connector.ts';
import { registerServiceWorker } from './pwa.ts';
import { createSignalingClient } from './net/signaling-client.ts';
import { createAppView } from './ui/app-view.ts';
import { createHistoryPager } from './ui/history-pager.ts';
import { createTopologyView } from './ui/topology-view.ts';
import { readConfig } from './url-config.ts';

const config = readConfig(window.location);
const root = document.getElementById('app')!;

const worker = new Worker(new URL('../workers/node/index.ts', import.meta.url), {
  type: 'module',
  name: 'mesh-node',
});
const node = Comlink.wrap<NodeApi>(worker);

const conversations = new Map<Conversation, Map<string, ChatMessage>>();
const pager = createHistoryPager((c, before, limit, beforeMsgId) =>
  node.history(c, before, limit, beforeMsgId),
);
const unread = new Map<string, number>();
let peers: PeerEntry[] = [];
let open: Conversation = 'room';
let diagnosticsVisible = false;

const peerOf = (c: Conversation) => (c === 'room' ? undefined : c.slice(3));
const messagesOf = (c: Conversation) => {
  let m = conversations.get(c);
  if (!m) conversations.set(c, (m = new Map()));
  return m;
};

function openConversation(c: Conversation) {
  open = c;
  const peer = peerOf(c);
  if (peer) unread.delete(peer);
  view.setConversation(
    c,
    [...messagesOf(c).values()],
    peers.find((p) => p.peerId === peer),
  );
  view.renderPeers(peers, peerOf(open), unread);
  // History comes from the worker's store a page at a time: the newest now, older on scroll.
  if (!pager.started(c)) loadOlder(c).catch(reportError);
}

async function loadOlder(c: Conversation) {
  const page = await pager.more(c);
  const known = messagesOf(c);
  const fresh = page.filter((m) => !known.has(m.msgId));
  for (const m of fresh) known.set(m.msgId, m);
  if (open === c && fresh.length > 0) view.messages.prependOlder(fresh);
}

const view = createAppView(root, {
  openConversation,
  async send(text) {
    const message = await node.sendText(open, text);
    onMessage(message);
  },
  feedback(m, verdict) {
    node.setSpamFeedback(m.from, verdict).then(() => {
      // The verdict covers everything this sender wrote, in every conversation.
      for (const list of conversations.values()) {
        for (const [id, other] of list) {
          if (other.from !== m.from || other.direction !== 'in') continue;
          const next = {
            ...other,
            spam: { score: other.spam?.score ?? 0, flagged: verdict === 'spam' },
          };
          list.set(id, next);
          if (other.conversation === open) view.messages.upsert(next);
        }
      }
    }, reportError);
  },
  setStrictness(s) {
    node.setStrictness(s).catch(reportError);
  },
  retry(m) {
    // The worker answers with a 'queued' status event; false = no longer failed (e.g. delivered).
    node.retry(m.msgId).catch(reportError);
  },
  toggleDiagnostics() {
    diagnosticsVisible = !diagnosticsVisible;
    view.setDiagnosticsVisible(diagnosticsVisible);
    if (diagnosticsVisible) node.topology().then((t) => topology.render(t), reportError);
  },
});
registerServiceWorker((apply) => view.showUpdateReady(apply));
view.messages.onReachTop(() => {
  if (!pager.exhausted(open)) loadOlder(open).catch(reportError);
});
const topology = createTopologyView(view.diagnostics, (peerId) => node.route(peerId));

const trace = config.debug
  ? (...args: unknown[]) => console.debug('[katya-mesh]', ...args)
  : () => undefined;

function reportError(e: unknown) {
  console.error('[katya-mesh]', e);
}

function onMessage(m: ChatMessage) {
  messagesOf(m.conversation).set(m.msgId, m);
  if (m.conversation === open) view.messages.upsert(m);
  else if (m.direction === 'in' && m.conversation !== 'room') {
    const peer = peerOf(m.conversation)!;
    unread.set(peer, (unread.get(peer) ?? 0) + 1);
    view.renderPeers(peers, peerOf(open), unread);
  }
}

function onEvent(e: NodeEvent) {
  switch (e.type) {
    case 'peers':
      peers = e.peers;
      view.renderPeers(peers, peerOf(open), unread);
      break;
    case 'message':
      onMessage(e.message);
      break;
    case 'status': {
      for (const list of conversations.values()) {
        const m = list.get(e.msgId);
        if (m) list.set(e.msgId, { ...m, status: e.status });
      }
      view.messages.setStatus(e.msgId, e.status);
      break;
    }
    case 'carried':
      view.messages.setCarriers(e.msgId, e.carriers);
      break;
    case 'want-link':
      trace('want link', e.peerId.slice(0, 8));
      connector.dial(e.peerId);
      break;
    case 'signal':
      trace(
        'signal in (mesh)',
        e.from.slice(0, 8),
        (e.data.sp as { type?: string } | undefined)?.type,
      );
      connector.handleSignal(e.from, e.data);
      break;
    case 'topology':
      if (diagnosticsVisible) topology.render(e.topology);
      break;
    case 'error':
      reportError(`${e.code}: ${e.message}`);
      break;
  }
}

const started = await node.start(
  {
    room: config.room,
    name: config.name,
    maxLinks: config.maxLinks,
    minLinks: config.minLinks,
    dbName: config.dbName,
  },
  Comlink.proxy(onEvent),
);
view.setSelf(started.peerId, config.room);

// The classifier runs in its own worker; the node worker talks to it directly over this port.
const inference = new Worker(new URL('../workers/inference/index.ts', import.meta.url), {
  type: 'module',
  name: 'inference',
});
const inferenceLine = new MessageChannel();
inference.postMessage({ katyaConnect: true, port: inferenceLine.port1 }, [inferenceLine.port1]);
node
  .connectInference(Comlink.transfer(inferenceLine.port2, [inferenceLine.port2]))
  .catch(reportError);
node.screeningSettings().then((s) => view.setStrictness(s.strictness), reportError);
document.title = `Katya Mesh · #${config.room}`;

const connector = createPeerConnector({
  selfId: started.peerId,
  rtcConfig: { iceServers: [] },
  sendSignal(to, data) {
    // Through the mesh when the target is reachable there; the server only gets us in.
    node.sendSignal(to, data).then((viaMesh) => {
      const viaServer = !viaMesh && signaling.sendSignal(to, data);
      trace(
        'signal out',
        to.slice(0, 8),
        data.sp.type,
        viaMesh ? 'mesh' : viaServer ? 'server' : 'DROPPED',
      );
      if (!viaMesh && !viaServer) connector.abandon(to);
    }, reportError);
  },
  onLink(peerId, port) {
    trace('link open', peerId.slice(0, 8));
    node.addLink(Comlink.transfer(port, [port]), peerId).catch(reportError);
  },
  onError: (peerId, err) => reportError(`link ${peerId.slice(0, 8)}: ${err.message}`),
});

const signaling = createSignalingClient({
  url: config.signalUrl,
  room: config.room,
  name: started.name,
  peerId: started.peerId,
  publicKeyHex: started.publicKeyHex,
  signJoin: (nonce, room) => node.signJoin(nonce, room),
  on: {
    state: (s) => view.setSignaling(s),
    peers: (members) => node.setRoomMembers(members).catch(reportError),
    signal: (from, data) => {
      trace(
        'signal in (server)',
        from.slice(0, 8),
        (data.sp as { type?: string } | undefined)?.type,
      );
      connector.handleSignal(from, data);
    },
    undeliverable: (peerId, err) => {
      trace('signal refused', peerId.slice(0, 8), err.code);
      connector.abandon(peerId);
    },
    error: (err) => reportError(err),
  },
});

openConversation('room');

// Leaving promptly tells the others now rather than after a heartbeat timeout.
window.addEventListener('pagehide', () => {
  signaling.close();
  connector.close();
});
