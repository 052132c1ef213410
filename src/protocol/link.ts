/**
 * A Link is one bidirectional, ordered, reliable byte pipe to one neighbour. The mesh core sees
 * only this interface, so the same core runs over WebRTC data channels (via a MessagePort into the
 * node worker), over in-memory pairs in tests, and inside the simulator.
 *
 * Contract (checked by the shared Link contract suite):
 * - `send` never throws for a closed link; it returns false and the bytes are dropped (the caller
 *   owns retries: nothing the user wrote lives only in a link buffer).
 * - `send` does not take ownership of `bytes`: a caller may send one encoded frame on several
 *   links (broadcast). A link that transfers buffers copies first.
 * - `onMessage` delivers whole frames, in order, each exactly once; the receiver owns the bytes.
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
