/**
 * The node worker's service: composes identity, the mesh core, the peer directory and the chat
 * log behind the Comlink API (api.ts). Links arrive as MessagePorts; chat content never leaves
 * this worker except as frames on links and as plain data to the UI.
 */
import { toHex } from '../../src/protocol/bytes.ts';
import { encodeChat, parseChat } from '../../src/protocol/chat.ts';
import { MeshError } from '../../src/protocol/errors.ts';
import type { Identity } from '../../src/protocol/identity.ts';
import { joinChallengeBytes, type SignalData } from '../../src/protocol/signaling.ts';
import type { ChatMessage, Conversation, NodeApi, NodeEvent, StartOptions } from './api.ts';
import { createMemoryChatLog, type ChatLog } from './chat-log.ts';
import { createLinkPlanner } from './link-planner.ts';
import { createMeshNode, type MeshMessage, type MeshNode } from './mesh/index.ts';
import { createPeerDirectory, type PeerDirectory } from './peer-directory.ts';
import { createPortLink } from './port-link.ts';
import { openMeshDb } from './store/db.ts';
import { loadOrCreateIdentity } from './store/identity-store.ts';

const DEFAULT_MIN_LINKS = 2;
const DEFAULT_MAX_LINKS = 6;
const PLAN_INTERVAL_MS = 3_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Running {
  identity: Identity;
  mesh: MeshNode;
  dir: PeerDirectory;
  log: ChatLog;
  name: string;
  emit: (e: NodeEvent) => void;
  planner: ReturnType<typeof createLinkPlanner>;
  timer: ReturnType<typeof setInterval>;
}

export function createNodeService(): NodeApi {
  let running: Running | undefined;
  const need = (): Running => {
    if (!running) throw new MeshError('internal', 'node worker not started');
    return running;
  };

  const onMeshMessage = async (r: Running, m: MeshMessage) => {
    const parsed = parseChat(m.body);
    if (!parsed.ok) {
      r.emit({
        type: 'error',
        code: parsed.error.code,
        message: `from ${m.from}: ${parsed.error.message}`,
      });
      return;
    }
    const p = parsed.value;
    if (p.name) r.dir.learnName(m.from, p.name);
    const message: ChatMessage = {
      msgId: m.msgId,
      conversation: m.kind === 'broadcast' ? 'room' : `dm:${m.from}`,
      from: m.from,
      fromName: p.name || r.dir.nameOf(m.from),
      text: p.text,
      ts: p.ts,
      direction: 'in',
      hops: m.hops,
    };
    if (await r.log.append(message)) r.emit({ type: 'message', message });
  };

  const publishPeers = (r: Running) => {
    r.dir.setMeshPeers(r.mesh.peers());
    r.emit({ type: 'peers', peers: r.dir.entries() });
  };

  return {
    async start(opts: StartOptions, onEvent) {
      if (running) throw new MeshError('internal', 'node worker already started');
      const db = await openMeshDb({ name: opts.dbName });
      const { identity } = await loadOrCreateIdentity(db);
      const name = opts.name || `peer-${identity.peerId.slice(0, 6)}`;
      const minLinks =
        opts.minLinks ?? Math.min(DEFAULT_MIN_LINKS, opts.maxLinks ?? DEFAULT_MIN_LINKS);
      const maxLinks = Math.max(opts.maxLinks ?? DEFAULT_MAX_LINKS, minLinks);
      const mesh = createMeshNode({ identity, name, minLinks, maxLinks });
      const dir = createPeerDirectory(identity.peerId);
      const emit = (e: NodeEvent) => {
        // The UI may be gone (tab closing); a failed event must not break the mesh.
        Promise.resolve(onEvent(e)).catch(() => undefined);
      };
      const planner = createLinkPlanner({
        minLinks,
        neighbours: () => mesh.neighbours(),
        candidates: () => dir.roomMembers(),
        dial: (peerId) => emit({ type: 'want-link', peerId }),
      });
      const r: Running = {
        identity,
        mesh,
        dir,
        log: createMemoryChatLog(),
        name,
        emit,
        planner,
        timer: setInterval(() => planner.plan(), PLAN_INTERVAL_MS),
      };
      running = r;
      mesh.onMessage((m) => {
        onMeshMessage(r, m).catch((e: unknown) =>
          emit({ type: 'error', code: 'internal', message: String(e) }),
        );
      });
      mesh.onPeersChanged(() => {
        publishPeers(r);
        planner.plan();
      });
      mesh.onWantLink((peerId) => emit({ type: 'want-link', peerId }));
      mesh.onSignal((from, bytes) => {
        let data: unknown;
        try {
          data = JSON.parse(decoder.decode(bytes));
        } catch {
          emit({ type: 'error', code: 'bad-json', message: `signal from ${from} is not JSON` });
          return;
        }
        if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
          emit({ type: 'signal', from, data: data as SignalData });
        }
      });
      return { peerId: identity.peerId, publicKeyHex: toHex(identity.publicKey), name };
    },

    async signJoin(nonce, room) {
      return toHex(await need().identity.sign(joinChallengeBytes(nonce, room)));
    },

    addLink(port, claimedPeerId) {
      need().mesh.addLink(createPortLink(port, claimedPeerId));
    },

    setRoomMembers(peers) {
      const r = need();
      r.dir.setRoomMembers(peers);
      publishPeers(r);
      r.planner.plan();
    },

    sendSignal(to, data) {
      return need().mesh.sendSignal(to, encoder.encode(JSON.stringify(data)));
    },

    async sendText(conversation: Conversation, text) {
      const r = need();
      const body = encodeChat({ text, ts: Date.now(), name: r.name });
      const parsed = parseChat(body);
      if (!parsed.ok) throw parsed.error;
      const base = {
        conversation,
        from: r.identity.peerId,
        fromName: r.name,
        text,
        ts: parsed.value.ts,
        direction: 'out' as const,
      };
      if (conversation === 'room') {
        const { msgId } = r.mesh.broadcast(body);
        const message: ChatMessage = { ...base, msgId, status: 'sent' };
        await r.log.append(message);
        return message;
      }
      const to = conversation.slice(3);
      const { msgId, routed } = r.mesh.sendDirect(to, body);
      const message: ChatMessage = { ...base, msgId, status: routed ? 'sent' : 'queued' };
      await r.log.append(message);
      return message;
    },

    async history(conversation, before = Number.MAX_SAFE_INTEGER, limit = 50) {
      const r = need();
      return (await r.log.page(conversation, before, limit)).reverse();
    },

    topology() {
      const r = need();
      return { self: r.identity.peerId, ...r.mesh.topology() };
    },

    route(to) {
      return need().mesh.route(to);
    },

    stop() {
      if (!running) return;
      clearInterval(running.timer);
      running.mesh.close();
      running = undefined;
    },
  };
}
