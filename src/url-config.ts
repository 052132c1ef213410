/**
 * Reads the automation contract's URL parameters: `room`, `name`, `maxLinks`, `signal`, plus
 * `db` (a separate local database, so one browser profile can host several identities in tests).
 * Bad values fall back to defaults rather than failing to start.
 */
import { isRoomName, SIGNALING_PATH, cleanName } from './protocol/signaling.ts';

export interface AppConfig {
  room: string;
  name: string;
  maxLinks?: number;
  minLinks?: number;
  signalUrl: string;
  dbName?: string;
  /** `&debug=1`: log link negotiation to the console (diagnosing a mesh that will not link). */
  debug: boolean;
}

function intParam(v: string | null, min: number, max: number): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

export function readConfig(location: Location): AppConfig {
  const q = new URLSearchParams(location.search);
  const room = q.get('room');
  const db = q.get('db');
  const sameOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNALING_PATH}`;
  let signalUrl = sameOrigin;
  const signal = q.get('signal');
  // Only absolute ws(s)/http(s) URLs: a relative or other-scheme value is a typo, not a server.
  if (signal && /^(wss?|https?):\/\//i.test(signal)) {
    try {
      const u = new URL(signal);
      if (u.protocol === 'http:' || u.protocol === 'https:') {
        u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
      }
      if (u.pathname === '/' || u.pathname === '') u.pathname = SIGNALING_PATH;
      if (u.protocol === 'ws:' || u.protocol === 'wss:') signalUrl = u.toString();
    } catch {
      // An unparseable &signal= keeps the same-origin server: starting beats failing.
      signalUrl = sameOrigin;
    }
  }
  return {
    room: isRoomName(room) ? room : 'lobby',
    name: cleanName(q.get('name')).trim(),
    maxLinks: intParam(q.get('maxLinks'), 1, 64),
    minLinks: intParam(q.get('minLinks'), 1, 64),
    signalUrl,
    dbName: db && /^[A-Za-z0-9_-]{1,40}$/.test(db) ? `katya-mesh-${db}` : undefined,
    debug: q.get('debug') === '1',
  };
}
