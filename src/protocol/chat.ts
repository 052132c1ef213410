/**
 * The application payload inside a mesh data/broadcast frame body: what a person wrote. The mesh
 * core treats bodies as opaque bytes; this is the one place that gives them meaning, and it
 * parses a peer's bytes into this shape or a typed error (a peer controls every field).
 */
import { fail, ok, type Result } from './errors.ts';

export const MAX_TEXT_LENGTH = 4000;
const MAX_BODY_BYTES = 16 * 1024;

export interface ChatPayload {
  v: 1;
  kind: 'text';
  text: string;
  /** Sender's clock, ms since epoch: for ordering only, never trusted for anything else. */
  ts: number;
  name: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeChat(p: Omit<ChatPayload, 'v' | 'kind'>): Uint8Array {
  return encoder.encode(
    JSON.stringify({ v: 1, kind: 'text', text: p.text, ts: p.ts, name: p.name }),
  );
}

export function parseChat(bytes: Uint8Array): Result<ChatPayload> {
  if (bytes.length > MAX_BODY_BYTES) return fail('oversize', 'chat body over 16 KiB');
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(bytes));
  } catch {
    return fail('bad-json', 'chat body is not UTF-8 JSON');
  }
  if (typeof v !== 'object' || v === null) return fail('bad-message', 'chat body is not an object');
  const m = v as Record<string, unknown>;
  if (m.v !== 1) return fail('bad-version', `chat payload version ${String(m.v)}`);
  if (m.kind !== 'text') return fail('unknown-type', 'chat payload kind');
  if (typeof m.text !== 'string' || m.text.length === 0 || m.text.length > MAX_TEXT_LENGTH) {
    return fail('bad-message', 'chat text must be 1..4000 characters');
  }
  if (typeof m.ts !== 'number' || !Number.isFinite(m.ts)) return fail('bad-message', 'chat ts');
  const name = typeof m.name === 'string' ? m.name.slice(0, 64) : '';
  return ok({ v: 1, kind: 'text', text: m.text, ts: m.ts, name });
}
