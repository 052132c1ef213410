/**
 * A Link is one bidirectional, ordered, reliable byte pipe to one neighbour. The mesh core sees
 * only this interface, so the same core runs over WebRTC data channels (via a MessagePort into the
 * node worker), over in-memory pairs in tests, and inside the simulator.
 *
 * Contract (checked by the shared Link contract suite):
 * - `send` never throws for a closed link; it returns false and the bytes are dropped (the caller
 *   owns retries: nothing the user wrote lives only in a link buffer).
 * - `onMessage` delivers whole frames, in order, each exactly once. The ArrayBuffer may have been
 *   transferred to the receiver; the sender must not reuse a buffer after sending it.
 * - `onClose` fires exactly once, after which `send` returns false. Subscribing after close calls
 *   the handler on the next microtask.
 * - Every subscribe returns its disposer.
 */
export interface Link {
  /** Peer id the transport *claims* (from signaling). Not trusted until the handshake proves it. */
  readonly peerId: string;
  send(bytes: Uint8Array): boolean;
  onMessage(handler: (bytes: Uint8Array) => void): () => void;
  onClose(handler: (reason: string) => void): () => void;
  close(reason?: string): void;
  readonly closed: boolean;
}
