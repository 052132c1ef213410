/**
 * The outbox: every outgoing message leaves from here, never straight from the UI call, so a
 * message stored before a crash is sent after the restart exactly like a fresh one.
 *
 * Direct messages are sealed to the recipient's X25519 key once its card is known, sent when a
 * route exists and re-sent with backoff until the recipient's signed receipt arrives. When the
 * recipient is unreachable the sealed envelope is handed to a few reachable peers (carriers),
 * who deliver it when the recipient appears. Room messages are broadcast once and dropped.
 */
import { encodeCarry, encodeDm, encodeRoom } from '../../src/protocol/app-message.ts';
import { encodeChat } from '../../src/protocol/chat.ts';
import { sealEnvelope } from '../../src/protocol/envelope.ts';
import type { Identity } from '../../src/protocol/identity.ts';
import type { DeliveryStatus } from './api.ts';
import type { KeyDirectory } from './key-directory.ts';
import type { MessageStore } from './store/message-store.ts';
import type { OutboxStore } from './store/outbox-store.ts';
import type { OutboxRecord } from './store/types.ts';

/** How often the pump looks for expired entries (the first pump after start always does). */
const EXPIRY_CHECK_MS = 10_000;

/** The outbox entry of a room message is addressed to this pseudo-peer. */
export const ROOM_TARGET = 'room';

export interface OutboxPumpOptions {
  identity: Identity;
  outbox: OutboxStore;
  messages: MessageStore;
  keys: KeyDirectory;
  /** Routed send of an app message; false when there is no route now. */
  send(to: string, body: Uint8Array): boolean;
  broadcast(body: Uint8Array): void;
  reachable(peerId: string): boolean;
  /** Reachable peers that could carry for us, best first (direct neighbours). */
  carriers(): string[];
  onStatus(msgId: string, status: DeliveryStatus): void;
  onCarried(msgId: string, carriers: number): void;
  onError(e: unknown): void;
  carriersPerMessage?: number;
  now?: () => number;
}

export function createOutboxPump(o: OutboxPumpOptions) {
  const now = o.now ?? Date.now;
  const perMessage = o.carriersPerMessage ?? 2;
  /** Carriers already holding a message (in memory: after a restart we hand it out again). */
  const carriedBy = new Map<string, Set<string>>();
  let running: Promise<void> | undefined;
  let again = false;
  let nextExpiryCheck = 0;

  const setStatus = async (msgId: string, status: DeliveryStatus) => {
    if (await o.messages.setStatus(msgId, status)) o.onStatus(msgId, status);
  };

  const seal = async (rec: OutboxRecord): Promise<OutboxRecord | undefined> => {
    if (rec.envelope.length > 0) return rec;
    const keys = await o.keys.keysOf(rec.to);
    const message = await o.messages.get(rec.msgId);
    if (!message) {
      await o.outbox.remove(rec.msgId); // nothing left to send
      return undefined;
    }
    if (!keys) {
      await o.keys.ensure(rec.to);
      return undefined;
    }
    const plaintext = encodeChat({
      text: message.text,
      ts: message.ts,
      name: message.fromName ?? '',
    });
    const envelope = await sealEnvelope({
      sender: o.identity,
      recipientId: rec.to,
      recipientDhPublicKey: keys.dhPublicKey,
      msgId: rec.msgId,
      plaintext,
    });
    const sealed = { ...rec, envelope };
    await o.outbox.put(sealed);
    return sealed;
  };

  const attempt = async (rec: OutboxRecord) => {
    if (rec.to === ROOM_TARGET) {
      o.broadcast(encodeRoom(rec.msgId, rec.envelope));
      await o.outbox.remove(rec.msgId);
      await setStatus(rec.msgId, 'sent');
      return;
    }
    const sealed = await seal(rec);
    if (sealed) {
      const dm = encodeDm(o.identity.publicKey, sealed.envelope);
      if (o.reachable(sealed.to) && o.send(sealed.to, dm)) {
        await setStatus(sealed.msgId, 'sent');
      } else {
        const holders = carriedBy.get(sealed.msgId) ?? new Set<string>();
        const before = holders.size;
        for (const c of o.carriers()) {
          if (holders.size >= perMessage) break;
          if (c === sealed.to || holders.has(c)) continue;
          if (o.send(c, encodeCarry(dm))) holders.add(c);
        }
        if (holders.size > 0) carriedBy.set(sealed.msgId, holders);
        if (holders.size > before) o.onCarried(sealed.msgId, holders.size);
      }
    }
    // Until the receipt removes it, the entry comes due again with backoff.
    await o.outbox.reschedule(rec.msgId, now());
  };

  const drain = async () => {
    // Undelivered past its expiry: say so (the UI offers a retry) instead of leaving it "queued".
    // A write transaction over the whole outbox: not on every pump, expiry is not that urgent.
    if (now() >= nextExpiryCheck) {
      nextExpiryCheck = now() + EXPIRY_CHECK_MS;
      for (const rec of await o.outbox.expire(now())) {
        carriedBy.delete(rec.msgId);
        await setStatus(rec.msgId, 'failed');
      }
    }
    do {
      again = false;
      for (const rec of await o.outbox.due(now(), 100)) {
        try {
          await attempt(rec);
        } catch (e) {
          o.onError(e);
          await o.outbox.reschedule(rec.msgId, now());
        }
      }
    } while (again);
  };

  return {
    /** Sends whatever is due; concurrent calls coalesce into one more pass. */
    pump(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = drain()
        .catch((e: unknown) => o.onError(e))
        .finally(() => (running = undefined));
      return running;
    },
    /** A receipt for `msgId` arrived (already verified). */
    async delivered(msgId: string): Promise<void> {
      carriedBy.delete(msgId);
      await o.outbox.remove(msgId);
      await setStatus(msgId, 'delivered');
    },
  };
}

export type OutboxPump = ReturnType<typeof createOutboxPump>;
