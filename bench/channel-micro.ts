/**
 * Per-frame costs of each piece of our data path, timed in a node worker with the product's own
 * functions: where a 60 KiB frame's CPU time goes (sign, verify, encode/parse copies, a port hop).
 * Sequential figures are latency per op; "×N in parallel" shows whether WebCrypto overlaps them.
 */
import { encodeFrame, parseFrame, type RoutedFrame } from '../src/protocol/frame.ts';
import { signableBytes, signRouted } from '../src/protocol/frame-signing.ts';
import { generateIdentity, verifySignature } from '../src/protocol/identity.ts';
import { asBufferSource, randomId } from '../src/protocol/bytes.ts';
import type { MicroResult } from './channel-api.ts';

const ED25519 = { name: 'Ed25519' } as const;

export function timerStep(): number {
  let best = Infinity;
  // Bounded: even a 100 µs timer ticks within a few ms.
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best;
}

async function perOp(ops: number, fn: (i: number) => unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  return ((performance.now() - t0) * 1000) / ops;
}

async function parallel(ops: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: ops }, (_, i) => fn(i)));
  return ((performance.now() - t0) * 1000) / ops;
}

/** A transferred buffer through a MessageChannel inside this worker and back out: one port hop. */
async function portHop(ops: number, bytes: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  let left = ops;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    port2.onmessage = () => {
      if (--left === 0) resolve();
      else send();
    };
    const send = () => {
      const buf = new ArrayBuffer(bytes);
      port1.postMessage(buf, [buf]);
    };
    send();
  });
  port1.close();
  port2.close();
  return ((performance.now() - t0) * 1000) / ops;
}

export async function runMicro(bodyBytes: number, ops: number): Promise<MicroResult[]> {
  const id = await generateIdentity();
  const body = new Uint8Array(bodyBytes).map((_, i) => i & 0xff);
  const base: Omit<RoutedFrame, 'sig' | 'src'> = {
    type: 'data',
    ttl: 32,
    hops: 0,
    dst: randomId(),
    msgId: randomId(),
    body,
  };
  const f = await signRouted(id, base);
  const wire = encodeFrame(f);
  const signable = signableBytes(f);
  const key = await crypto.subtle.importKey('raw', id.publicKey.slice(), ED25519, false, [
    'verify',
  ]);
  const r: MicroResult[] = [];
  const add = (label: string, us: number) => r.push({ label, us });

  // Warm the JIT and WebCrypto's thread before timing anything.
  for (let i = 0; i < 5; i++) {
    await signRouted(id, base);
    await verifySignature(id.publicKey, f.sig, signable);
  }
  add('signableBytes (write frame for signing)', await perOp(ops, () => signableBytes(f)));
  add('identity.sign (Ed25519, WebCrypto)', await perOp(ops, () => id.sign(signable)));
  add('signRouted (signable + sign), sequential', await perOp(ops, () => signRouted(id, base)));
  add(`signRouted ×${ops} in parallel`, await parallel(ops, () => signRouted(id, base)));
  add('encodeFrame (write frame for the wire)', await perOp(ops, () => encodeFrame(f)));
  add('postBytes copy (bytes.slice)', await perOp(ops, () => wire.slice()));
  add('parseFrame (copies body + sig)', await perOp(ops, () => parseFrame(wire)));
  add(
    'verifySignature (importKey + verify)',
    await perOp(ops, () => verifySignature(id.publicKey, f.sig, signable)),
  );
  add(
    `verifySignature ×${ops} in parallel`,
    await parallel(ops, () => verifySignature(id.publicKey, f.sig, signable)),
  );
  add(
    '  of which importKey',
    await perOp(ops, () =>
      crypto.subtle.importKey('raw', id.publicKey.slice(), ED25519, false, ['verify']),
    ),
  );
  add(
    '  of which verify (key already imported)',
    await perOp(ops, () =>
      crypto.subtle.verify(ED25519, key, asBufferSource(f.sig), asBufferSource(signable)),
    ),
  );
  add('port hop in-worker (transfer, one task)', await portHop(ops, wire.length));
  return r;
}
