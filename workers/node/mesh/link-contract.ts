/**
 * The Link contract (src/protocol/link.ts) as a reusable vitest suite. Call it from a test file
 * with a factory of connected pairs; every Link implementation (in-memory, MessagePort, data
 * channel) runs the same checks.
 */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../../src/protocol/link.ts';

export interface LinkPairUnderTest {
  /** Held by the node with id `aId`, so `a.peerId === bId`. */
  a: Link;
  b: Link;
  aId: string;
  bId: string;
  /** Optional teardown (ports, sockets) after each test. */
  dispose?: () => void | Promise<void>;
}

async function until(cond: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const frame = (...xs: number[]) => new Uint8Array(xs);

export function runLinkContract(name: string, makePair: () => Promise<LinkPairUnderTest>): void {
  const withPair = (fn: (p: LinkPairUnderTest) => Promise<void>) => async () => {
    const p = await makePair();
    try {
      await fn(p);
    } finally {
      await p.dispose?.();
    }
  };

  describe(`Link contract: ${name}`, () => {
    it(
      'each end names the other as peerId and starts open',
      withPair(async ({ a, b, aId, bId }) => {
        expect(a.peerId).toBe(bId);
        expect(b.peerId).toBe(aId);
        expect(a.closed).toBe(false);
        expect(b.closed).toBe(false);
      }),
    );

    it(
      'delivers whole frames in order, exactly once, both ways',
      withPair(async ({ a, b }) => {
        const atB: number[] = [];
        const atA: number[] = [];
        b.onMessage((m) => atB.push(m[0]! * 256 + m[1]!));
        a.onMessage((m) => atA.push(m.length));
        for (let i = 0; i < 300; i++) expect(a.send(frame(i >> 8, i & 255, 7))).toBe(true);
        b.send(new Uint8Array(5));
        b.send(new Uint8Array(64 * 1024));
        await until(() => atB.length === 300 && atA.length === 2, 'delivery');
        expect(atB).toEqual(Array.from({ length: 300 }, (_, i) => i));
        expect(atA).toEqual([5, 64 * 1024]);
        await new Promise((r) => setTimeout(r, 20));
        expect(atB.length).toBe(300);
      }),
    );

    it(
      'send does not take ownership: the sender may reuse and share its buffer',
      withPair(async ({ a, b }) => {
        const got: Uint8Array[] = [];
        b.onMessage((m) => got.push(m));
        const buf = frame(1, 2, 3);
        a.send(buf);
        a.send(buf);
        buf[0] = 9;
        expect(buf.byteLength).toBe(3);
        await until(() => got.length === 2, 'delivery');
        expect([...got[0]!]).toEqual([1, 2, 3]);
        expect([...got[1]!]).toEqual([1, 2, 3]);
      }),
    );

    it(
      'a disposed message handler gets nothing more',
      withPair(async ({ a, b }) => {
        let n = 0;
        let m = 0;
        const off = b.onMessage(() => n++);
        b.onMessage(() => m++);
        off();
        a.send(frame(1));
        await until(() => m === 1, 'delivery');
        expect(n).toBe(0);
      }),
    );

    it(
      'close: onClose fires exactly once on both ends; send then returns false, never throws',
      withPair(async ({ a, b }) => {
        let closedA = 0;
        let closedB = 0;
        a.onClose(() => closedA++);
        b.onClose(() => closedB++);
        a.close('bye');
        a.close('again');
        await until(() => closedB === 1, 'remote close');
        expect(closedA).toBe(1);
        expect(a.closed && b.closed).toBe(true);
        expect(a.send(frame(1))).toBe(false);
        expect(() => b.send(frame(1))).not.toThrow();
        expect(b.send(frame(1))).toBe(false);
        b.close();
        await new Promise((r) => setTimeout(r, 20));
        expect([closedA, closedB]).toEqual([1, 1]);
      }),
    );

    it(
      'frames sent before close still arrive before the close notice',
      withPair(async ({ a, b }) => {
        const events: string[] = [];
        b.onMessage((m) => events.push(`m${m[0]}`));
        b.onClose(() => events.push('close'));
        a.send(frame(1));
        a.send(frame(2));
        a.close();
        await until(() => events.includes('close'), 'close');
        expect(events).toEqual(['m1', 'm2', 'close']);
      }),
    );

    it(
      'subscribing to onClose after close calls the handler on a later microtask',
      withPair(async ({ a, b }) => {
        b.close('done');
        await until(() => a.closed, 'remote close');
        let called = 0;
        a.onClose(() => called++);
        expect(called).toBe(0);
        await Promise.resolve();
        await new Promise((r) => setTimeout(r, 0));
        expect(called).toBe(1);
        let disposedCalled = 0;
        const off = a.onClose(() => disposedCalled++);
        off();
        await new Promise((r) => setTimeout(r, 0));
        expect(disposedCalled).toBe(0);
      }),
    );
  });
}
