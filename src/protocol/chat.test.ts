import { describe, expect, it } from 'vitest';
import { encodeChat, MAX_TEXT_LENGTH, parseChat } from './chat.ts';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('chat payload', () => {
  it('round-trips', () => {
    const r = parseChat(encodeChat({ text: 'hi <b>there</b>', ts: 123, name: 'al' }));
    expect(r).toEqual({
      ok: true,
      value: { v: 1, kind: 'text', text: 'hi <b>there</b>', ts: 123, name: 'al' },
    });
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{nope'), 'bad-json'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'bad-json'],
    ['an array', enc([1]), 'bad-version'],
    ['a future version', enc({ v: 2, kind: 'text', text: 'x', ts: 1 }), 'bad-version'],
    ['an unknown kind', enc({ v: 1, kind: 'file', text: 'x', ts: 1 }), 'unknown-type'],
    ['empty text', enc({ v: 1, kind: 'text', text: '', ts: 1 }), 'bad-message'],
    [
      'text too long',
      enc({ v: 1, kind: 'text', text: 'x'.repeat(MAX_TEXT_LENGTH + 1), ts: 1 }),
      'bad-message',
    ],
    ['a non-numeric ts', enc({ v: 1, kind: 'text', text: 'x', ts: '1' }), 'bad-message'],
    ['an oversize body', new Uint8Array(17 * 1024), 'oversize'],
  ])('rejects %s with a typed error', (_what, bytes, code) => {
    const r = parseChat(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('bounds a peer-chosen name', () => {
    const r = parseChat(enc({ v: 1, kind: 'text', text: 'x', ts: 1, name: 'n'.repeat(500) }));
    expect(r.ok && r.value.name.length).toBe(64);
  });
});
