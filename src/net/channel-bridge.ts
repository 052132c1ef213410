/**
 * Main-thread half of a link: pumps bytes between one open RTCDataChannel and the MessagePort
 * whose other end is the node worker's `Link`. It does nothing else, so the main thread stays
 * free for the UI however much the mesh relays.
 *
 * Backpressure: the data channel has a send buffer that grows without bound if we keep calling
 * send(); past HIGH_WATER we queue here and drain on `bufferedamountlow` (RECIPES: 256/64 KiB
 * did as well as larger buffers).
 */
import { parsePortMessage, postBytes, postClose } from '../protocol/link-port.ts';

const HIGH_WATER = 256 * 1024;
const LOW_WATER = 64 * 1024;

export interface ChannelBridge {
  close(reason: string): void;
}

/**
 * `early`: messages the channel delivered before the bridge existed (see peer-connector.ts); they
 * reach the worker first, in order.
 */
export function bridgeChannel(
  channel: RTCDataChannel,
  port: MessagePort,
  onClosed: (reason: string) => void,
  early: readonly Uint8Array[] = [],
): ChannelBridge {
  const queue: ArrayBuffer[] = [];
  let closed = false;
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = LOW_WATER;

  const finish = (reason: string, notifyWorker: boolean) => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    if (notifyWorker) postClose(port, reason);
    port.onmessage = null;
    port.close();
    channel.onmessage = null;
    channel.onbufferedamountlow = null;
    onClosed(reason);
  };

  const flush = () => {
    while (queue.length > 0 && channel.bufferedAmount < HIGH_WATER) {
      if (channel.readyState !== 'open') return finish('channel closed', true);
      channel.send(queue.shift()!);
    }
  };

  for (const bytes of early) postBytes(port, bytes, false);
  channel.onmessage = (ev: MessageEvent) => {
    if (ev.data instanceof ArrayBuffer) postBytes(port, new Uint8Array(ev.data), true);
    // Text messages are not part of our protocol; the worker would reject them anyway.
  };
  channel.onbufferedamountlow = flush;
  channel.addEventListener('close', () => finish('channel closed', true));

  port.onmessage = (ev: MessageEvent) => {
    const msg = parsePortMessage(ev.data);
    if (!msg) return;
    if (msg.kind === 'close') return finish(msg.reason, false);
    if (channel.readyState !== 'open') return finish('channel closed', true);
    const buf = msg.bytes.buffer as ArrayBuffer;
    if (queue.length > 0 || channel.bufferedAmount >= HIGH_WATER) queue.push(buf);
    else channel.send(buf);
  };

  return { close: (reason) => finish(reason, true) };
}
