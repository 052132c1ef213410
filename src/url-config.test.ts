import { describe, expect, it } from 'vitest';
import { readConfig } from './url-config.ts';

const at = (href: string) => readConfig(new URL(href) as unknown as Location);

describe('URL configuration (automation contract)', () => {
  it('reads room, name, maxLinks and defaults the signaling URL to same origin', () => {
    expect(at('http://localhost:8080/?room=team-1&name=Ann&maxLinks=2')).toEqual({
      room: 'team-1',
      name: 'Ann',
      maxLinks: 2,
      minLinks: undefined,
      signalUrl: 'ws://localhost:8080/signal',
      dbName: undefined,
      debug: false,
    });
  });

  it('falls back on bad values instead of failing to start', () => {
    const c = at('https://x.test/?room=../../etc&maxLinks=-3&signal=%%%');
    expect(c.room).toBe('lobby');
    expect(c.maxLinks).toBeUndefined();
    expect(c.signalUrl).toBe('wss://x.test/signal');
  });

  it('accepts another signaling server as http(s) or ws(s)', () => {
    expect(at('http://a.test/?signal=http://b.test:9000').signalUrl).toBe(
      'ws://b.test:9000/signal',
    );
    expect(at('http://a.test/?signal=wss://b.test/custom').signalUrl).toBe('wss://b.test/custom');
    expect(at('http://a.test/?signal=javascript:alert(1)').signalUrl).toBe('ws://a.test/signal');
  });
});
