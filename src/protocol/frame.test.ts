import { describe, expect, it } from 'vitest';
import { encodeFrame, parseFrame, MAX_FRAME_BYTES, type Frame } from './frame.ts';
import { signableBytes, signAdvert, signBroadcast, signRouted } from './frame-signing.ts';
import { generateIdentity, verifySignature } from './identity.ts';
import { equalBytes } from './bytes.ts';

const A = 'aa'.repeat(16);
const B = 'bb'.repeat(16);
const C = 'cc'.repeat(16);
const M = '0123456789abcdef'.repeat(2);
const key = new Uint8Array(32).fill(7);
const sig = new Uint8Array(64).fill(9);
const body = new TextEncoder().encode('hello, mesh');

const samples: Frame[] = [
  { type: 'hello', publicKey: key, nonce: new Uint8Array(16).fill(3), name: 'Ана ✓' },
  { type: 'proof', sig },
  { type: 'ping', seq: 4_000_000_000, sentAt: 1234.5 },
  { type: 'pong', seq: 1, sentAt: 99 },
  {
    type: 'advert',
    ttl: 32,
    hops: 2,
    origin: A,
    seq: 77,
    lifetimeS: 90,
    ageS: 3,
    publicKey: key,
    name: 'alice',
    links: [
      { peer: B, cost: 12 },
      { peer: C, cost: 65535 },
    ],
    relays: [C],
    sig,
  },
  { type: 'data', ttl: 16, hops: 1, src: A, dst: B, msgId: M, body, sig },
  { type: 'signal', ttl: 16, hops: 0, src: A, dst: C, msgId: M, body, sig },
  { type: 'broadcast', ttl: 16, hops: 3, src: A, msgId: M, relays: [B, C], body, sig },
  { type: 'bye', reason: 'overCapacity', text: 'full' },
  { type: 'summary', entries: [{ origin: A, seq: 5 }] },
  { type: 'request', origins: [A, B] },
  { type: 'ihave', ids: [{ src: A, msgId: M }] },
  {
    type: 'iwant',
    ids: [
      { src: B, msgId: M },
      { src: C, msgId: M },
    ],
  },
];

describe('frame round trip', () => {
  for (const f of samples) {
    it(`${f.type} encodes and parses back unchanged`, () => {
      const parsed = parseFrame(encodeFrame(f));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value).toEqual(f);
    });
  }
  it("frames larger than the writer's first buffer (advert with 200 links, 50 KB body)", () => {
    const links = Array.from({ length: 200 }, (_, i) => ({
      peer: i.toString(16).padStart(32, '0'),
      cost: i,
    }));
    const big: Frame[] = [
      { ...(samples[4] as Extract<Frame, { type: 'advert' }>), links },
      {
        type: 'data',
        ttl: 1,
        hops: 0,
        src: A,
        dst: B,
        msgId: M,
        body: new Uint8Array(50_000).fill(5),
        sig,
      },
      { type: 'summary', entries: links.map((l) => ({ origin: l.peer, seq: l.cost })) },
    ];
    for (const f of big) {
      const p = parseFrame(encodeFrame(f));
      expect(p.ok && p.value).toEqual(f);
    }
  });

  it('empty lists and bodies survive', () => {
    const f: Frame = {
      type: 'broadcast',
      ttl: 1,
      hops: 0,
      src: A,
      msgId: M,
      relays: [],
      body: new Uint8Array(0),
      sig,
    };
    const p = parseFrame(encodeFrame(f));
    expect(p.ok && p.value).toEqual(f);
  });
});

describe('malformed input is rejected with a typed error, never thrown', () => {
  const code = (b: Uint8Array) => {
    const r = parseFrame(b);
    return r.ok ? 'ok' : r.error.code;
  };
  it('empty and header-only-short input → truncated', () => {
    expect(code(new Uint8Array(0))).toBe('truncated');
    expect(code(new Uint8Array([1, 1]))).toBe('truncated');
  });
  it('every strict prefix of every sample → truncated', () => {
    for (const f of samples) {
      const bytes = encodeFrame(f);
      for (let n = 0; n < bytes.length; n++) {
        const c = code(bytes.subarray(0, n));
        expect(c, `${f.type} cut at ${n}`).toBe('truncated');
      }
    }
  });
  it('wrong version → bad-version', () => {
    const b = encodeFrame(samples[0]!);
    b[0] = 2;
    expect(code(b)).toBe('bad-version');
  });
  it('unknown type → unknown-type', () => {
    const b = encodeFrame(samples[0]!);
    b[1] = 200;
    expect(code(b)).toBe('unknown-type');
  });
  it('oversize input → oversize without parsing', () => {
    expect(code(new Uint8Array(MAX_FRAME_BYTES + 1))).toBe('oversize');
  });
  it('a declared body length above the limit → oversize', () => {
    const f = samples[5]!;
    const b = encodeFrame(f);
    new DataView(b.buffer).setUint32(4 + 48, 0xffffff);
    expect(code(b)).toBe('oversize');
  });
  it('trailing bytes → bad-frame', () => {
    const b = encodeFrame(samples[2]!);
    expect(code(new Uint8Array([...b, 0]))).toBe('bad-frame');
  });
  it('too many relays → bad-frame', () => {
    const b = encodeFrame(samples[7]!);
    b[4 + 32] = 200;
    expect(code(b)).toBe('bad-frame');
  });
  it('random garbage never throws', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(rnd() % 200).map(() => rnd());
      if (b.length > 1) b[0] = 1;
      expect(() => parseFrame(b)).not.toThrow();
    }
  });
});

describe('signatures cover immutable fields only', () => {
  it('advert: age, ttl and hops are mutable; links are not', async () => {
    const id = await generateIdentity();
    const a = await signAdvert(id, {
      ttl: 8,
      hops: 0,
      seq: 1,
      lifetimeS: 60,
      ageS: 0,
      name: 'x',
      links: [{ peer: B, cost: 3 }],
      relays: [],
    });
    const moved = { ...a, ttl: 3, hops: 5, ageS: 20, relays: [C] };
    expect(equalBytes(signableBytes(a), signableBytes(moved))).toBe(true);
    expect(await verifySignature(id.publicKey, a.sig, signableBytes(moved))).toBe(true);
    const tampered = { ...a, links: [{ peer: B, cost: 1 }] };
    expect(await verifySignature(id.publicKey, a.sig, signableBytes(tampered))).toBe(false);
  });
  it('data and broadcast: body and ids are covered, relays are not', async () => {
    const id = await generateIdentity();
    const d = await signRouted(id, { type: 'data', ttl: 9, hops: 0, dst: B, msgId: M, body });
    expect(
      await verifySignature(id.publicKey, d.sig, signableBytes({ ...d, ttl: 1, hops: 8 })),
    ).toBe(true);
    expect(await verifySignature(id.publicKey, d.sig, signableBytes({ ...d, dst: C }))).toBe(false);
    // same fields, other type: the header type is signed, so a data sig is no signal sig
    expect(
      await verifySignature(id.publicKey, d.sig, signableBytes({ ...d, type: 'signal' })),
    ).toBe(false);
    const b = await signBroadcast(id, { ttl: 9, hops: 0, msgId: M, relays: [], body });
    expect(
      await verifySignature(id.publicKey, b.sig, signableBytes({ ...b, relays: [A, C] })),
    ).toBe(true);
    expect(
      await verifySignature(id.publicKey, b.sig, signableBytes({ ...b, body: new Uint8Array(1) })),
    ).toBe(false);
  });
});
