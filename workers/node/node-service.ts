/**
 * The node worker's service: composes identity, the mesh core, the stores, the outbox and the
 * inbox behind the Comlink API (api.ts). Links arrive as MessagePorts; message content leaves
 * this worker only sealed in frames on links, and as plain data to the UI.
 */
import * as Comlink from 'comlink';
import { randomId, toHex } from '../../src/protocol/bytes.ts';
import { encodeChat, parseChat } from '../../src/protocol/chat.ts';
import { MeshError } from '../../src/protocol/errors.ts';
import { joinChallengeBytes } from '../../src/protocol/signaling.ts';
import type { InferenceApi } from '../inference/api.ts';
import type { ChatMessage, Conversation, NodeApi, StartOptions } from './api.ts';
import { loadHistory, storedConversation, toStored } from './history.ts';
import { DIRECT_TTL_MS, startNode, type NodeRuntime } from './node-runtime.ts';
import { ROOM_TARGET } from './outbox-pump.ts';
import { createPortLink } from './port-link.ts';
import { requeueOutgoing, storeOutgoing } from './store/outgoing-store.ts';
import type { OutboxRecord } from './store/types.ts';

const encoder = new TextEncoder();

/** An outbox entry due at once, expiring DIRECT_TTL_MS after `now`. */
function freshEntry(msgId: string, to: string, envelope: Uint8Array, now: number): OutboxRecord {
  return {
    msgId,
    to,
    envelope,
    attempts: 0,
    nextAttemptAt: 0,
    createdAt: now,
    expiresAt: now + DIRECT_TTL_MS,
  };
}

export function createNodeService(): NodeApi {
  let running: NodeRuntime | undefined;
  let starting: Promise<NodeRuntime> | undefined;
  const need = (): NodeRuntime => {
    if (!running) throw new MeshError('internal', 'node worker not started');
    return running;
  };

  return {
    async start(opts: StartOptions, onEvent) {
      if (starting) throw new MeshError('internal', 'node worker already started');
      starting = startNode(opts, onEvent);
      running = await starting;
      const r = running;
      return { peerId: r.identity.peerId, publicKeyHex: toHex(r.identity.publicKey), name: r.name };
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
      r.refreshPeers(); // members not linked yet are listed too (unreachable), and dialled
    },

    sendSignal(to, data) {
      return need().mesh.sendSignal(to, encoder.encode(JSON.stringify(data)));
    },

    async sendText(conversation: Conversation, text) {
      const r = need();
      const ts = Date.now();
      const body = encodeChat({ text, ts, name: r.name });
      const parsed = parseChat(body);
      if (!parsed.ok) throw parsed.error;
      const msgId = randomId();
      const message: ChatMessage = {
        msgId,
        conversation,
        from: r.identity.peerId,
        fromName: r.name,
        text,
        ts,
        direction: 'out',
        status: 'queued',
      };
      const to = conversation === 'room' ? ROOM_TARGET : conversation.slice(3);
      // Stored (message + outbox entry, one transaction) before anything is sent.
      await storeOutgoing(
        r.db,
        toStored(message, r.room, ts),
        freshEntry(msgId, to, conversation === 'room' ? body : new Uint8Array(0), ts),
      );
      r.pump.pump().catch(r.report);
      return message;
    },

    async retry(msgId) {
      const r = need();
      const msg = await r.messages.get(msgId);
      if (!msg?.conversation.startsWith('dm:')) return false;
      // Sealed afresh (empty envelope): the recipient's keys may have changed since.
      const entry = freshEntry(msgId, msg.conversation.slice(3), new Uint8Array(0), Date.now());
      const requeued = await requeueOutgoing(r.db, entry);
      if (!requeued) return false;
      r.emit({ type: 'status', msgId, status: 'queued' });
      r.pump.pump().catch(r.report);
      return true;
    },

    async history(conversation, before, limit = 50, beforeMsgId) {
      const r = need();
      const c = storedConversation(conversation, r.room);
      return loadHistory(r.messages, r.screening, c, { before, beforeMsgId, limit });
    },

    topology() {
      return need().liveTopology();
    },

    route(to) {
      return need().mesh.route(to);
    },

    connectInference(port) {
      const r = need();
      r.screening.connect(Comlink.wrap<InferenceApi>(port));
      // Off the start-up path: the session (wasm compile, model fetch) is ready before it matters.
      setTimeout(() => r.screening.warmup(), 1_000);
    },

    screeningSettings() {
      return need().screening.settings();
    },

    setStrictness(s) {
      return need().screening.setStrictness(s);
    },

    setSpamFeedback(peerId, verdict) {
      return need().screening.setFeedback(peerId, verdict);
    },

    stop() {
      if (!running) return;
      clearInterval(running.timer);
      running.mesh.close();
      running = undefined;
    },
  };
}
