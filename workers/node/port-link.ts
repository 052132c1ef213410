/**
 * The node worker's side of a data channel: a `Link` over the MessagePort that the main thread
 * bridges to the RTCDataChannel. The mesh core cannot tell it from an in-memory link.
 */
import type { Link } from '../../src/protocol/link.ts';
import { parsePortMessage, postBytes, postClose } from '../../src/protocol/link-port.ts';

export function createPortLink(port: MessagePort, claimedPeerId: string): Link {
  const messageHandlers = new Set<(bytes: Uint8Array) => void>();
  const closeHandlers = new Set<(reason: string) => void>();
  let closed = false;
  let closeReason = '';

  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    closeReason = reason;
    port.onmessage = null;
    port.close();
    for (const h of closeHandlers) h(reason);
    closeHandlers.clear();
    messageHandlers.clear();
  };

  port.onmessage = (ev: MessageEvent) => {
    const msg = parsePortMessage(ev.data);
    if (!msg) return; // not ours to interpret; the bridge only ever sends the two kinds
    if (msg.kind === 'close') finish(msg.reason);
    else for (const h of messageHandlers) h(msg.bytes);
  };

  return {
    peerId: claimedPeerId,
    get closed() {
      return closed;
    },
    send(bytes) {
      if (closed) return false;
      postBytes(port, bytes);
      return true;
    },
    onMessage(handler) {
      messageHandlers.add(handler);
      return () => messageHandlers.delete(handler);
    },
    onClose(handler) {
      if (closed) {
        let live = true;
        queueMicrotask(() => live && handler(closeReason));
        return () => (live = false);
      }
      closeHandlers.add(handler);
      return () => closeHandlers.delete(handler);
    },
    close(reason = 'closed') {
      if (closed) return;
      postClose(port, reason);
      finish(reason);
    },
  };
}
