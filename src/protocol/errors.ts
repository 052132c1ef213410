/**
 * Every failure that crosses a module boundary is a MeshError with a machine-readable code, so
 * callers branch on `code` instead of parsing messages, and nothing is swallowed untyped.
 */
export type MeshErrorCode =
  // parsing untrusted input (frames, signaling messages, worker messages)
  | 'bad-frame'
  | 'bad-version'
  | 'bad-json'
  | 'bad-message'
  | 'unknown-type'
  | 'oversize'
  // signaling server semantics
  | 'not-joined'
  | 'wrong-room'
  | 'unknown-target'
  | 'rate-limited'
  | 'room-full'
  // identity and crypto
  | 'bad-signature'
  | 'bad-identity'
  | 'decrypt-failed'
  | 'replay'
  // links and routing
  | 'link-closed'
  | 'handshake-failed'
  | 'no-route'
  | 'ttl-expired'
  | 'timeout'
  // storage
  | 'storage-full'
  | 'storage-failed'
  | 'aborted'
  | 'internal'
  // wire format and link management (appended by the mesh core)
  | 'truncated'
  | 'refused';

export class MeshError extends Error {
  override readonly name = 'MeshError';
  constructor(
    readonly code: MeshErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isMeshError(e: unknown, code?: MeshErrorCode): e is MeshError {
  return e instanceof MeshError && (code === undefined || e.code === code);
}

/** Parsers return a Result instead of throwing on the hot path (a peer may send garbage often). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: MeshError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: MeshErrorCode, message: string): Result<T> => ({
  ok: false,
  error: new MeshError(code, message),
});
