import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage, MAX_SIGNAL_MESSAGE_BYTES } from './signaling.ts';

const ID = '0123456789abcdef0123456789abcdef';
const KEY = 'ab'.repeat(32);
const SIG = 'cd'.repeat(64);

function code(r: ReturnType<typeof parseClientMessage>) {
  return r.ok ? 'ok' : r.error.code;
}

describe('signaling client messages', () => {
  it('parses a well-formed join, cleaning the name', () => {
    const r = parseClientMessage(
      JSON.stringify({
        t: 'join',
        room: 'lobby',
        peerId: ID,
        name: 'al\u0000ice',
        publicKey: KEY,
        sig: SIG,
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: { t: 'join', room: 'lobby', peerId: ID, name: 'alice', publicKey: KEY, sig: SIG },
    });
  });

  it.each([
    ['{', 'bad-json'],
    ['[1]', 'bad-message'],
    ['null', 'bad-message'],
    [JSON.stringify({ t: 'dance' }), 'unknown-type'],
    [
      JSON.stringify({ t: 'join', room: '../etc', peerId: ID, publicKey: KEY, sig: SIG }),
      'bad-message',
    ],
    [
      JSON.stringify({ t: 'join', room: 'r', peerId: 'XYZ', publicKey: KEY, sig: SIG }),
      'bad-message',
    ],
    [
      JSON.stringify({ t: 'join', room: 'r', peerId: ID, publicKey: 'ab', sig: SIG }),
      'bad-message',
    ],
    [JSON.stringify({ t: 'join', room: 'r', peerId: ID, publicKey: KEY, sig: 'x' }), 'bad-message'],
    [JSON.stringify({ t: 'signal', to: ID, data: 'sdp' }), 'bad-message'],
    [JSON.stringify({ t: 'signal', to: 'nobody', data: {} }), 'bad-message'],
    ['"' + 'x'.repeat(MAX_SIGNAL_MESSAGE_BYTES + 1) + '"', 'oversize'],
  ])('rejects %s as %s', (text, expected) => {
    expect(code(parseClientMessage(text))).toBe(expected);
  });

  it('parses signal and leave', () => {
    expect(parseClientMessage(JSON.stringify({ t: 'signal', to: ID, data: { sid: 'x' } }))).toEqual(
      {
        ok: true,
        value: { t: 'signal', to: ID, data: { sid: 'x' } },
      },
    );
    expect(parseClientMessage('{"t":"leave"}')).toEqual({ ok: true, value: { t: 'leave' } });
  });
});

describe('signaling server messages (the client trusts the server no more than a peer)', () => {
  it('parses welcome and rejects a bad peer entry', () => {
    const ok = parseServerMessage(
      JSON.stringify({
        t: 'welcome',
        room: 'r',
        self: { peerId: ID, name: 'me' },
        peers: [{ peerId: ID, name: 'x' }],
      }),
    );
    expect(ok.ok).toBe(true);
    const bad = parseServerMessage(
      JSON.stringify({ t: 'welcome', room: 'r', self: { peerId: ID }, peers: [{ peerId: 1 }] }),
    );
    expect(bad.ok).toBe(false);
  });

  it('rejects signals with a bad sender', () => {
    expect(parseServerMessage(JSON.stringify({ t: 'signal', from: 'me', data: {} })).ok).toBe(
      false,
    );
  });

  it('keeps the refused signal target of an error only when it is a peer id', () => {
    const target = 'ab'.repeat(16);
    const withTarget = parseServerMessage(
      JSON.stringify({ t: 'error', code: 'unknown-target', message: 'gone', peerId: target }),
    );
    expect(withTarget).toEqual({
      ok: true,
      value: { t: 'error', code: 'unknown-target', message: 'gone', peerId: target },
    });
    const bogus = parseServerMessage(
      JSON.stringify({ t: 'error', code: 'unknown-target', message: 'x', peerId: '<script>' }),
    );
    expect(bogus.ok && bogus.value).toEqual({ t: 'error', code: 'unknown-target', message: 'x' });
  });
});
