import { describe, expect, it } from 'vitest';
import {
  encodeCard,
  encodeCarry,
  encodeCarryAck,
  encodeDm,
  encodeReceipt,
  encodeRoom,
  makeCard,
  parseAppMessage,
  verifyCard,
} from './app-message.ts';
import { randomId } from './bytes.ts';
import { sealEnvelope, signReceipt } from './envelope.ts';
import { generateIdentity } from './identity.ts';

async function dhKey(): Promise<Uint8Array> {
  const kp = (await crypto.subtle.generateKey({ name: 'X25519' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  return new Uint8Array(await crypto.subtle.exportKey('raw', kp.publicKey));
}

describe('app messages', async () => {
  const alice = await generateIdentity();
  const bob = await generateIdentity();
  const msgId = randomId();
  const envelope = await sealEnvelope({
    sender: alice,
    recipientId: bob.peerId,
    recipientDhPublicKey: await dhKey(),
    msgId,
    plaintext: new TextEncoder().encode('hi'),
  });
  const receipt = await signReceipt(bob, msgId, alice.peerId);

  it('round-trips every type with its routing header', () => {
    const room = parseAppMessage(encodeRoom(msgId, new Uint8Array([1, 2])));
    expect(room.ok && room.value.t === 'room' && room.value.msgId).toBe(msgId);
    const dm = parseAppMessage(encodeDm(alice.publicKey, envelope));
    expect(dm.ok && dm.value.t === 'dm' && dm.value.header).toEqual({
      kind: 'sealed',
      from: alice.peerId,
      to: bob.peerId,
      msgId,
    });
    const r = parseAppMessage(encodeReceipt(receipt));
    expect(r.ok && r.value.t === 'receipt' && r.value.header.from).toBe(bob.peerId);
    const carry = parseAppMessage(encodeCarry(encodeDm(alice.publicKey, envelope)));
    expect(carry.ok && carry.value.t === 'carry' && carry.value.header.to).toBe(bob.peerId);
    const ack = parseAppMessage(encodeCarryAck(bob.publicKey, receipt));
    expect(ack.ok && ack.value.t === 'carry-ack' && ack.value.header.msgId).toBe(msgId);
  });

  it.each([
    ['empty', new Uint8Array(0), 'bad-message'],
    ['unknown type', new Uint8Array([99, 1]), 'unknown-type'],
    ['room without body', encodeRoom(msgId, new Uint8Array(0)), 'bad-message'],
    ['dm holding a receipt', new Uint8Array([2, ...alice.publicKey, ...receipt]), 'bad-message'],
    ['receipt holding an envelope', encodeReceipt(envelope), 'bad-message'],
    ['carry of a card', new Uint8Array([4, 6, ...new Uint8Array(128)]), 'bad-message'],
    ['truncated card', new Uint8Array([6, 1, 2, 3]), 'bad-message'],
  ])('rejects %s with a typed error', (_what, bytes, code) => {
    const r = parseAppMessage(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('cards are self-certifying: only the owner of the id can make one', async () => {
    const card = await makeCard(alice, await dhKey());
    expect(await verifyCard(card, alice.peerId)).toBe(true);
    expect(await verifyCard(card, bob.peerId)).toBe(false);
    const forged = { ...card, dhPublicKey: await dhKey() };
    expect(await verifyCard(forged, alice.peerId)).toBe(false);
    const parsed = parseAppMessage(encodeCard(card, true));
    expect(parsed.ok && parsed.value.t).toBe('card-request');
  });
});
