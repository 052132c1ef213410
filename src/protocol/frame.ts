/**
 * encodeFrame / parseFrame for the layout documented in frame-types.ts. parseFrame is the only way
 * bytes from a peer become a Frame: it checks size, version, type, every declared length and that
 * nothing trails the layout, and returns a typed error instead of throwing.
 */
import { fail, ok, type Result } from './errors.ts';
import { FrameReader, FrameWriter } from './frame-codec.ts';
import {
  ByeReason,
  FRAME_VERSION,
  FrameType,
  HEADER_BYTES,
  ID_BYTES,
  MAX_ADVERT_LINKS,
  MAX_BODY_BYTES,
  MAX_DIGEST_ENTRIES,
  MAX_FRAME_BYTES,
  MAX_RELAYS,
  MAX_SIGNAL_BODY_BYTES,
  MAX_SUMMARY_ENTRIES,
  MSG_ID_BYTES,
  NONCE_BYTES,
  type ByeReasonName,
  type Frame,
  type FrameTypeName,
} from './frame-types.ts';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './identity.ts';

export * from './frame-types.ts';

const TYPE_NAMES = new Map<number, FrameTypeName>(
  Object.entries(FrameType).map(([k, v]) => [v, k as FrameTypeName]),
);
const BYE_NAMES = new Map<number, ByeReasonName>(
  Object.entries(ByeReason).map(([k, v]) => [v, k as ByeReasonName]),
);

/**
 * Writes `f`; with `forSigning`, mutable fields are zeroed/emptied and the signature left out,
 * which yields exactly the bytes the origin signs.
 */
export function writeFrame(f: Frame, forSigning = false): Uint8Array {
  const w = new FrameWriter(
    f.type === 'data' || f.type === 'broadcast' ? 160 + f.body.length : 256,
  );
  const routed =
    f.type === 'advert' || f.type === 'data' || f.type === 'signal' || f.type === 'broadcast';
  w.u8(FRAME_VERSION).u8(FrameType[f.type]);
  w.u8(routed && !forSigning ? f.ttl : 0).u8(routed && !forSigning ? f.hops : 0);
  switch (f.type) {
    case 'hello':
      w.bytes(f.publicKey).bytes(f.nonce).shortText(f.name);
      break;
    case 'proof':
      w.bytes(f.sig);
      break;
    case 'ping':
    case 'pong':
      w.u32(f.seq).f64(f.sentAt);
      break;
    case 'advert':
      w.hex(f.origin, ID_BYTES)
        .u32(f.seq)
        .u16(f.lifetimeS)
        .u16(forSigning ? 0 : f.ageS);
      w.bytes(f.publicKey).shortText(f.name).u8(f.links.length);
      for (const l of f.links) w.hex(l.peer, ID_BYTES).u16(l.cost);
      writeRelays(w, forSigning ? [] : f.relays);
      if (!forSigning) w.bytes(f.sig);
      break;
    case 'data':
    case 'signal':
      w.hex(f.src, ID_BYTES).hex(f.dst, ID_BYTES).hex(f.msgId, MSG_ID_BYTES);
      w.u32(f.body.length).bytes(f.body);
      if (!forSigning) w.bytes(f.sig);
      break;
    case 'broadcast': {
      w.hex(f.src, ID_BYTES).hex(f.msgId, MSG_ID_BYTES);
      writeRelays(w, forSigning ? [] : f.relays);
      w.u32(f.body.length).bytes(f.body);
      if (!forSigning) w.bytes(f.sig);
      break;
    }
    case 'bye':
      w.u8(ByeReason[f.reason]).shortText(f.text);
      break;
    case 'summary':
      w.u16(f.entries.length);
      for (const e of f.entries) w.hex(e.origin, ID_BYTES).u32(e.seq);
      break;
    case 'request':
      w.u16(f.origins.length);
      for (const o of f.origins) w.hex(o, ID_BYTES);
      break;
    case 'ihave':
    case 'iwant':
      w.u16(f.ids.length);
      for (const e of f.ids) w.hex(e.src, ID_BYTES).hex(e.msgId, MSG_ID_BYTES);
      break;
  }
  return w.finish();
}

function writeRelays(w: FrameWriter, relays: string[]): void {
  w.u8(relays.length);
  for (const r of relays) w.hex(r, ID_BYTES);
}

function readRelays(r: FrameReader): string[] | undefined {
  const n = r.u8();
  if (n > MAX_RELAYS) return undefined;
  const relays: string[] = [];
  for (let i = 0; i < n && !r.truncated; i++) relays.push(r.id(ID_BYTES));
  return relays;
}

export function encodeFrame(f: Frame): Uint8Array {
  return writeFrame(f, false);
}

/**
 * (origin, seq) of an advert read straight from its fixed offsets, without parsing the rest: a
 * node hears every advert several times, and most copies are dropped on this key alone.
 * Undefined when `bytes` is not (the start of) an advert; a full parse still follows for any
 * copy that is not dropped.
 */
export function peekAdvert(bytes: Uint8Array): { origin: string; seq: number } | undefined {
  if (bytes.length < HEADER_BYTES + ID_BYTES + 4) return undefined;
  if (bytes[0] !== FRAME_VERSION || bytes[1] !== FrameType.advert) return undefined;
  const r = new FrameReader(bytes.subarray(HEADER_BYTES, HEADER_BYTES + ID_BYTES + 4));
  return { origin: r.hex(ID_BYTES), seq: r.u32() };
}

export function parseFrame(bytes: Uint8Array): Result<Frame> {
  if (bytes.length > MAX_FRAME_BYTES) return fail('oversize', `frame of ${bytes.length} bytes`);
  if (bytes.length < HEADER_BYTES) return fail('truncated', 'frame shorter than its header');
  if (bytes[0] !== FRAME_VERSION) return fail('bad-version', `frame version ${bytes[0]}`);
  const type = TYPE_NAMES.get(bytes[1]!);
  if (type === undefined) return fail('unknown-type', `frame type ${bytes[1]}`);
  const r = new FrameReader(bytes);
  r.u8();
  r.u8();
  const ttl = r.u8();
  const hops = r.u8();
  const body = parseBody(type, r, ttl, hops);
  if (!body.ok) return body;
  if (r.truncated) return fail('truncated', `${type} frame cut short`);
  if (r.remaining !== 0) return fail('bad-frame', `${r.remaining} bytes after a ${type} frame`);
  return body;
}

function parseBody(type: FrameTypeName, r: FrameReader, ttl: number, hops: number): Result<Frame> {
  switch (type) {
    case 'hello':
      return ok({
        type,
        publicKey: r.bytesOf(PUBLIC_KEY_BYTES),
        nonce: r.bytesOf(NONCE_BYTES),
        name: r.shortText(),
      });
    case 'proof':
      return ok({ type, sig: r.bytesOf(SIGNATURE_BYTES) });
    case 'ping':
    case 'pong':
      return ok({ type, seq: r.u32(), sentAt: r.f64() });
    case 'advert': {
      const origin = r.id(ID_BYTES);
      const seq = r.u32();
      const lifetimeS = r.u16();
      const ageS = r.u16();
      const publicKey = r.bytesOf(PUBLIC_KEY_BYTES);
      const name = r.shortText();
      const n = r.u8();
      if (n > MAX_ADVERT_LINKS) return fail('bad-frame', `advert with ${n} links`);
      const links = [];
      for (let i = 0; i < n && !r.truncated; i++)
        links.push({ peer: r.id(ID_BYTES), cost: r.u16() });
      const relays = readRelays(r);
      if (!relays) return fail('bad-frame', 'advert naming too many relays');
      const sig = r.bytesOf(SIGNATURE_BYTES);
      return ok({
        type,
        ttl,
        hops,
        origin,
        seq,
        lifetimeS,
        ageS,
        publicKey,
        name,
        links,
        relays,
        sig,
      });
    }
    case 'data':
    case 'signal': {
      const src = r.id(ID_BYTES);
      const dst = r.id(ID_BYTES);
      const msgId = r.hex(MSG_ID_BYTES);
      const len = r.u32();
      const max = type === 'data' ? MAX_BODY_BYTES : MAX_SIGNAL_BODY_BYTES;
      if (len > max) return fail('oversize', `${type} body of ${len} bytes`);
      const body = r.bytesOf(len);
      const sig = r.bytesOf(SIGNATURE_BYTES);
      return ok({ type, ttl, hops, src, dst, msgId, body, sig });
    }
    case 'broadcast': {
      const src = r.id(ID_BYTES);
      const msgId = r.hex(MSG_ID_BYTES);
      const relays = readRelays(r);
      if (!relays) return fail('bad-frame', 'broadcast naming too many relays');
      const len = r.u32();
      if (len > MAX_BODY_BYTES) return fail('oversize', `broadcast body of ${len} bytes`);
      const body = r.bytesOf(len);
      const sig = r.bytesOf(SIGNATURE_BYTES);
      return ok({ type, ttl, hops, src, msgId, relays, body, sig });
    }
    case 'bye': {
      const code = r.u8();
      const text = r.shortText();
      // An unknown reason from a newer peer is still a goodbye: read it as 'normal'.
      return ok({ type, reason: BYE_NAMES.get(code) ?? 'normal', text });
    }
    case 'summary': {
      const n = r.u16();
      if (n > MAX_SUMMARY_ENTRIES) return fail('bad-frame', `summary with ${n} entries`);
      const entries = [];
      for (let i = 0; i < n && !r.truncated; i++)
        entries.push({ origin: r.id(ID_BYTES), seq: r.u32() });
      return ok({ type, entries });
    }
    case 'request': {
      const n = r.u16();
      if (n > MAX_SUMMARY_ENTRIES) return fail('bad-frame', `request for ${n} adverts`);
      const origins = [];
      for (let i = 0; i < n && !r.truncated; i++) origins.push(r.id(ID_BYTES));
      return ok({ type, origins });
    }
    case 'ihave':
    case 'iwant': {
      const n = r.u16();
      if (n > MAX_DIGEST_ENTRIES) return fail('bad-frame', `${type} with ${n} entries`);
      const ids = [];
      for (let i = 0; i < n && !r.truncated; i++)
        ids.push({ src: r.id(ID_BYTES), msgId: r.hex(MSG_ID_BYTES) });
      return ok({ type, ids });
    }
  }
}
