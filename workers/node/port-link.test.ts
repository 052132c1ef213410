/**
 * The node worker's MessagePort link runs the same Link contract as the in-memory link. Two
 * PortLinks on the two ends of one MessageChannel speak exactly what the main-thread bridge
 * speaks (transferred ArrayBuffers and a close notice).
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runLinkContract } from './mesh/link-contract.ts';
import { createPortLink } from './port-link.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

function pair() {
  const { port1, port2 } = new MessageChannel();
  // Node's worker_threads ports are structurally the DOM MessagePort the worker gets.
  const a = createPortLink(port1 as unknown as MessagePort, B);
  const b = createPortLink(port2 as unknown as MessagePort, A);
  return { a, b, aId: A, bId: B, dispose: () => (a.close(), b.close()) };
}

runLinkContract('MessagePort (node worker side)', async () => pair());

describe('port link', () => {
  it('does not detach a buffer the caller still holds (one frame, several links)', async () => {
    const { a, b, dispose } = pair();
    const frame = new Uint8Array([1, 2, 3, 4]);
    const got: number[][] = [];
    b.onMessage((bytes) => got.push([...bytes]));
    a.send(frame);
    a.send(frame);
    await new Promise((r) => setTimeout(r, 20));
    expect(frame.byteLength).toBe(4);
    expect(got).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    dispose();
  });

  it('ignores messages that are neither frames nor close notices', async () => {
    const { port1, port2 } = new MessageChannel();
    const link = createPortLink(port1 as unknown as MessagePort, B);
    const got: Uint8Array[] = [];
    link.onMessage((bytes) => got.push(bytes));
    port2.postMessage({ t: 'evil' });
    port2.postMessage('text');
    const buf = new Uint8Array([9]).buffer;
    port2.postMessage(buf, [buf]);
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((g) => [...g])).toEqual([[9]]);
    expect(link.closed).toBe(false);
    link.close();
    port2.close();
  });
});
