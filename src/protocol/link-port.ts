/**
 * How one link's bytes cross between the main thread (where Chromium keeps RTCDataChannel) and
 * the node worker: a dedicated MessagePort per link. Frames travel as *transferred* ArrayBuffers
 * (zero-copy, never JSON); the only other message is a close notice. Both ends parse what they
 * receive, because a port is an edge like any other.
 */
export type PortControl = { t: 'close'; reason: string };

export type PortEvent = { kind: 'data'; bytes: Uint8Array } | { kind: 'close'; reason: string };

export function parsePortMessage(data: unknown): PortEvent | undefined {
  if (data instanceof ArrayBuffer) return { kind: 'data', bytes: new Uint8Array(data) };
  if (typeof data === 'object' && data !== null && (data as PortControl).t === 'close') {
    const reason = (data as PortControl).reason;
    return { kind: 'close', reason: typeof reason === 'string' ? reason.slice(0, 200) : 'closed' };
  }
  return undefined;
}

/**
 * Posts `bytes` as a transferred buffer. Only `owned` bytes (a fresh buffer nobody else holds,
 * e.g. what a data channel just delivered) are transferred as they are; anything else is copied
 * once, because transferring detaches the buffer under whoever else holds it (a broadcast frame
 * is sent on several links).
 */
export function postBytes(port: MessagePort, bytes: Uint8Array, owned = false): void {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buf =
    owned && whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
  port.postMessage(buf, [buf]);
}

export function postClose(port: MessagePort, reason: string): void {
  const msg: PortControl = { t: 'close', reason };
  port.postMessage(msg);
}
