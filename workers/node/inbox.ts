/**
 * Incoming app messages (app-message.ts) after the mesh core has verified the frame: opens
 * sealed direct messages addressed to us and acknowledges them with a signed receipt (also for
 * copies we already have: our earlier receipt may have been lost), matches receipts against the
 * outbox, holds carried envelopes for others, and swaps cards.
 */
import {
  encodeCarry,
  encodeCarryAck,
  encodeReceipt,
  parseAppMessage,
  type AppMessage,
} from '../../src/protocol/app-message.ts';
import { parseChat, type ChatPayload } from '../../src/protocol/chat.ts';
import { openEnvelope, signReceipt, verifyReceipt } from '../../src/protocol/envelope.ts';
import { MeshError } from '../../src/protocol/errors.ts';
import type { Identity } from '../../src/protocol/identity.ts';
import type { KeyDirectory } from './key-directory.ts';
import type { OutboxPump } from './outbox-pump.ts';
import type { CarryStore } from './store/carry-store.ts';
import type { MessageStore } from './store/message-store.ts';
import type { OutboxStore } from './store/outbox-store.ts';

/** How long a carrier waits for an ack before handing a carried envelope over again. */
const REHAND_MS = 20_000;

export interface Incoming {
  msgId: string;
  from: string;
  kind: 'room' | 'direct';
  chat: ChatPayload;
  hops: number;
}

export interface InboxOptions {
  identity: Identity;
  dhPrivateKey: CryptoKey;
  keys: KeyDirectory;
  outbox: OutboxStore;
  pump: OutboxPump;
  messages: MessageStore;
  carry: CarryStore;
  send(to: string, body: Uint8Array): boolean;
  reachable(peerId: string): boolean;
  carriers(): string[];
  /** A message to show: called once per message id, ever (the seen store guarantees it). */
  deliver(m: Incoming): Promise<void>;
  onRejected(from: string, error: MeshError): void;
}

export function createInbox(o: InboxOptions) {
  const self = o.identity.peerId;

  /** Sends `body` to `to`, or hands it to carriers when `to` is unreachable. */
  const sendOrCarry = (to: string, body: Uint8Array) => {
    if (o.reachable(to) && o.send(to, body)) return;
    let handed = 0;
    for (const c of o.carriers()) {
      if (handed >= 2) break;
      if (c !== to && o.send(c, encodeCarry(body))) handed++;
    }
  };

  const chatOf = (bytes: Uint8Array): ChatPayload => {
    const parsed = parseChat(bytes);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  };

  const handle = async (from: string, m: AppMessage, hops: number): Promise<void> => {
    switch (m.t) {
      case 'room':
        if (await o.messages.markSeen(m.msgId)) {
          await o.deliver({ msgId: m.msgId, from, kind: 'room', chat: chatOf(m.chat), hops });
        }
        return;
      case 'dm': {
        if (m.header.to !== self)
          throw new MeshError('bad-message', 'direct message for someone else');
        const opened = await openEnvelope({
          bytes: m.envelope,
          recipient: { peerId: self, dhPrivateKey: o.dhPrivateKey },
          senderPublicKey: m.senderKey,
        });
        const chat = chatOf(opened.plaintext);
        if (await o.messages.markSeen(opened.msgId)) {
          await o.deliver({
            msgId: opened.msgId,
            from: opened.senderId,
            kind: 'direct',
            chat,
            hops,
          });
        }
        const receipt = await signReceipt(o.identity, opened.msgId, opened.senderId);
        sendOrCarry(opened.senderId, encodeReceipt(receipt));
        // Handed over by a carrier, not its author: the carrier may drop its copy now.
        if (from !== opened.senderId) o.send(from, encodeCarryAck(o.identity.publicKey, receipt));
        await o.keys.ensure(opened.senderId); // so we can answer them
        return;
      }
      case 'receipt': {
        if (m.header.to !== self) throw new MeshError('bad-message', 'receipt for someone else');
        const keys = await o.keys.keysOf(m.header.from);
        if (!keys)
          throw new MeshError('bad-identity', 'receipt from a peer whose key we never saw');
        const r = await verifyReceipt(m.receipt, keys.publicKey);
        const pending = await o.outbox.get(r.msgId);
        if (pending && pending.to === r.from) await o.pump.delivered(r.msgId);
        if (from !== r.from) {
          const ack = await signReceipt(o.identity, r.msgId, r.from);
          o.send(from, encodeCarryAck(o.identity.publicKey, ack));
        }
        return;
      }
      case 'carry': {
        const inner = parseAppMessage(m.inner);
        if (!inner.ok) throw inner.error;
        if (m.header.to === self) return handle(from, inner.value, hops);
        // Only the author may ask us to carry, so one peer's quota cannot be spent by another.
        if (m.header.from !== from)
          throw new MeshError('bad-message', 'carry request not from the origin');
        const envelopeId = `${m.header.msgId}:${inner.value.t}`;
        await o.carry.accept({ envelopeId, origin: from, to: m.header.to, bytes: m.inner });
        if (o.reachable(m.header.to)) await handOver(m.header.to);
        return;
      }
      case 'carry-ack': {
        // Only the addressee can sign this: a bystander cannot make us drop someone's mail.
        const ack = await verifyReceipt(m.receipt, m.ackerKey);
        for (const rec of await o.carry.peekFor(ack.from)) {
          if (rec.envelopeId.startsWith(`${ack.msgId}:`)) {
            await o.carry.remove(rec.envelopeId);
            handedAt.delete(rec.envelopeId);
          }
        }
        return;
      }
      case 'card-request':
        if (await o.keys.learn(from, m.card)) o.keys.answer(from);
        else throw new MeshError('bad-signature', 'card does not belong to its sender');
        return;
      case 'card':
        if (!(await o.keys.learn(from, m.card))) {
          throw new MeshError('bad-signature', 'card does not belong to its sender');
        }
        return;
    }
  };

  /** When each carried envelope was last handed over (in memory: after a restart, again). */
  const handedAt = new Map<string, number>();

  /**
   * `to` is reachable: hand over what we carry for it. Copies stay until the addressee's signed
   * ack (carry-ack) or expiry: a route can be stale, and a hand-over into it would be lost. A
   * copy not acknowledged goes out again after REHAND_MS, or at once when a route to `to` has
   * just appeared (`fresh`: the earlier hand-over may have gone into the route that broke).
   */
  const handOver = async (to: string, fresh = false) => {
    const t = Date.now();
    for (const rec of await o.carry.peekFor(to, t)) {
      if (!fresh && t - (handedAt.get(rec.envelopeId) ?? -Infinity) < REHAND_MS) continue;
      if (o.send(to, rec.bytes)) handedAt.set(rec.envelopeId, t);
    }
  };

  return {
    async receive(from: string, body: Uint8Array, hops: number): Promise<void> {
      const parsed = parseAppMessage(body);
      try {
        if (!parsed.ok) throw parsed.error;
        await handle(from, parsed.value, hops);
      } catch (e) {
        const err = e instanceof MeshError ? e : new MeshError('internal', String(e), { cause: e });
        o.onRejected(from, err);
      }
    },
    handOver,
  };
}
