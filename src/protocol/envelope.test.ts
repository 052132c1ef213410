import { describe, expect, it } from 'vitest';
import { randomId } from './bytes.ts';
import {
  MIN_SEALED_BYTES,
  openEnvelope,
  parseEnvelopeHeader,
  RECEIPT_BYTES,
  sealEnvelope,
  SIGNING_CONTEXT,
  signReceipt,
  verifyReceipt,
} from './envelope.ts';
import { isMeshError, type MeshErrorCode } from './errors.ts';
import { generateIdentity, type Identity } from './identity.ts';

interface Party {
  id: Identity;
  dh: CryptoKeyPair;
  dhPublic: Uint8Array;
}

async function party(): Promise<Party> {
  const id = await generateIdentity();
  const dh = (await crypto.subtle.generateKey({ name: 'X25519' }, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const dhPublic = new Uint8Array(await crypto.subtle.exportKey('raw', dh.publicKey));
  return { id, dh, dhPublic };
}

const [alice, bob, eve] = await Promise.all([party(), party(), party()]);
const text = new TextEncoder().encode('meet at the usual place');

function seal(msgId = randomId(), from: Party = alice, to: Party = bob, plaintext = text) {
  return sealEnvelope({
    sender: from.id,
    recipientId: to.id.peerId,
    recipientDhPublicKey: to.dhPublic,
    msgId,
    plaintext,
  });
}

function open(bytes: Uint8Array, as: Party = bob, senderPublicKey = alice.id.publicKey) {
  return openEnvelope({
    bytes,
    recipient: { peerId: as.id.peerId, dhPrivateKey: as.dh.privateKey },
    senderPublicKey,
  });
}

async function codeOf(p: Promise<unknown>): Promise<MeshErrorCode | 'resolved' | 'other'> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isMeshError(e) ? e.code : 'other';
  }
}

describe('sealed envelope', () => {
  it('round-trips and exposes only the routing header', async () => {
    const msgId = randomId();
    const bytes = await seal(msgId);
    expect(await open(bytes)).toEqual({ msgId, senderId: alice.id.peerId, plaintext: text });
    const header = parseEnvelopeHeader(bytes);
    expect(header).toEqual({
      ok: true,
      value: { kind: 'sealed', from: alice.id.peerId, to: bob.id.peerId, msgId },
    });
    // Nothing of the plaintext is visible in the bytes a carrier holds.
    expect(Buffer.from(bytes).includes(Buffer.from('usual place'))).toBe(false);
  });

  it('round-trips an empty message; two seals of one message differ', async () => {
    const empty = await seal(randomId(), alice, bob, new Uint8Array(0));
    expect(empty.length).toBe(MIN_SEALED_BYTES);
    expect((await open(empty)).plaintext).toEqual(new Uint8Array(0));
    const id = randomId();
    const [a, b] = await Promise.all([seal(id), seal(id)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('rejects tampered ciphertext', async () => {
    const bytes = await seal();
    bytes[MIN_SEALED_BYTES - 64 + 3]! ^= 1;
    expect(await codeOf(open(bytes))).toBe('bad-signature');
  });

  it('rejects a re-addressed header', async () => {
    const bytes = await seal();
    bytes.set(eve.id.publicKey.subarray(0, 16), 18); // recipient id → someone else
    expect(await codeOf(open(bytes))).toBe('bad-signature');
    expect(await codeOf(open(bytes, eve))).toBe('bad-signature');
  });

  it('a header re-signed by another identity still does not decrypt (AAD + HKDF binding)', async () => {
    // Eve takes Alice's ciphertext, claims to be the sender and signs it herself.
    const original = await seal();
    const forged = await seal(randomId(), eve, bob);
    const spliced = new Uint8Array(original.length);
    spliced.set(original);
    spliced.set(forged.subarray(2, 18), 2); // sender id → eve
    const body = spliced.subarray(0, spliced.length - 64);
    const sig = await eve.id.sign(new Uint8Array([...SIGNING_CONTEXT.envelope, ...body]));
    spliced.set(sig, spliced.length - 64);
    expect(await codeOf(open(spliced, bob, eve.id.publicKey))).toBe('decrypt-failed');
  });

  it('rejects a bad signature and a key that is not the sender id', async () => {
    const bytes = await seal();
    bytes[bytes.length - 1]! ^= 0x80;
    expect(await codeOf(open(bytes))).toBe('bad-signature');
    expect(await codeOf(open(await seal(), bob, eve.id.publicKey))).toBe('bad-signature');
  });

  it('fails to open with the wrong recipient key or for another recipient', async () => {
    const bytes = await seal();
    const wrongKey = openEnvelope({
      bytes,
      recipient: { peerId: bob.id.peerId, dhPrivateKey: eve.dh.privateKey },
      senderPublicKey: alice.id.publicKey,
    });
    expect(await codeOf(wrongKey)).toBe('decrypt-failed');
    expect(await codeOf(open(bytes, eve))).toBe('decrypt-failed');
  });

  it('rejects garbage and truncation as frames, never throwing untyped', async () => {
    const bytes = await seal();
    expect(await codeOf(open(bytes.subarray(0, 40)))).toBe('bad-frame');
    expect(await codeOf(open(bytes.subarray(0, MIN_SEALED_BYTES - 1)))).toBe('bad-frame');
    const v2 = bytes.slice();
    v2[0] = 2;
    expect(await codeOf(open(v2))).toBe('bad-version');
    expect(await codeOf(open(await signReceipt(bob.id, randomId(), alice.id.peerId)))).toBe(
      'bad-frame',
    );
  });

  it('refuses to seal with malformed ids or keys', async () => {
    expect(await codeOf(seal('not-hex'))).toBe('bad-message');
    const badKey = sealEnvelope({
      sender: alice.id,
      recipientId: bob.id.peerId,
      recipientDhPublicKey: new Uint8Array(31),
      msgId: randomId(),
      plaintext: text,
    });
    expect(await codeOf(badKey)).toBe('bad-identity');
    const lowOrder = sealEnvelope({
      sender: alice.id,
      recipientId: bob.id.peerId,
      recipientDhPublicKey: new Uint8Array(32), // the identity point: all-zero shared secret
      msgId: randomId(),
      plaintext: text,
    });
    expect(await codeOf(lowOrder)).toBe('bad-identity');
    expect(await codeOf(seal(randomId(), alice, bob, new Uint8Array(60_000)))).toBe('oversize');
  });
});

describe('receipts', () => {
  it('verify for the signer and carry msg id and addressee', async () => {
    const msgId = randomId();
    const r = await signReceipt(bob.id, msgId, alice.id.peerId);
    expect(r.length).toBe(RECEIPT_BYTES);
    expect(await verifyReceipt(r, bob.id.publicKey)).toEqual({
      from: bob.id.peerId,
      to: alice.id.peerId,
      msgId,
    });
  });

  it('reject forgeries: other signer, altered msg id, altered signature, wrong size', async () => {
    const msgId = randomId();
    const r = await signReceipt(bob.id, msgId, alice.id.peerId);
    // Eve signs a receipt claiming to be Bob.
    const forged = await signReceipt(eve.id, msgId, alice.id.peerId);
    forged.set(r.subarray(2, 18), 2);
    expect(await codeOf(verifyReceipt(forged, bob.id.publicKey))).toBe('bad-signature');
    expect(await codeOf(verifyReceipt(r, eve.id.publicKey))).toBe('bad-signature');
    const altered = r.slice();
    altered[40]! ^= 1;
    expect(await codeOf(verifyReceipt(altered, bob.id.publicKey))).toBe('bad-signature');
    const badSig = r.slice();
    badSig[100]! ^= 1;
    expect(await codeOf(verifyReceipt(badSig, bob.id.publicKey))).toBe('bad-signature');
    expect(await codeOf(verifyReceipt(r.subarray(0, 100), bob.id.publicKey))).toBe('bad-frame');
    // An envelope signature cannot be passed off as a receipt.
    expect(await codeOf(verifyReceipt(await seal(), alice.id.publicKey))).toBe('bad-frame');
  });
});
