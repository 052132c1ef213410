/**
 * RoomBus over Redis, for several server instances behind one load balancer.
 *
 * - Presence: `<p>inst:<id>` is SET with a TTL and refreshed at a third of it; an instance that
 *   stops refreshing (crashed, partitioned) is dead, and every instance sweeping its watched
 *   rooms drops the dead one's members and purges them from Redis.
 * - Membership: hash `<p>room:<room>` peerId → {i: owning instance, n: name}; joins and leaves
 *   change it and publish on `<p>ch:room:<room>` in one round trip (MULTI / a Lua script), so a
 *   snapshot read after subscribing plus the events after it is never missing anyone.
 * - Signals go to the target's instance only, on `<p>ch:inst:<id>`.
 */
import { Redis } from 'ioredis';
import { randomId } from '../src/protocol/bytes.ts';
import { MeshError } from '../src/protocol/errors.ts';
import { cleanName, type PeerInfo } from '../src/protocol/signaling.ts';
import type { Member, RelayedSignal, RoomBus, RoomEvent, RoomWatch } from './room-bus.ts';
import { decodeEvent, decodeMember, decodeSignal } from './redis-wire.ts';

export interface RedisBusOptions {
  url: string;
  presenceTtlMs: number;
  prefix: string;
  log: (line: string) => void;
  instanceId?: string;
}

/** Removes a membership only if this instance still owns it, and announces that atomically. */
const LEAVE_LUA = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local ok, m = pcall(cjson.decode, v)
if ok and m.i == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('PUBLISH', KEYS[2], ARGV[3])
  return 1
end
return 0`;

/** Removes every member owned by a dead instance, announcing each as left on its behalf. */
const PURGE_LUA = `
local all = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #all, 2 do
  local ok, m = pcall(cjson.decode, all[i + 1])
  if (not ok) or m.i == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('PUBLISH', KEYS[2], cjson.encode({k = 'l', i = ARGV[1], id = all[i]}))
    n = n + 1
  end
end
return n`;

export function createRedisBus(o: RedisBusOptions): RoomBus {
  const instanceId = o.instanceId ?? randomId();
  const p = o.prefix;
  const instKey = (id: string) => `${p}inst:${id}`;
  const roomKey = (room: string) => `${p}room:${room}`;
  const roomChPrefix = `${p}ch:room:`;
  const myChannel = `${p}ch:inst:${instanceId}`;
  const roomTtlMs = o.presenceTtlMs * 3;
  const redisOpts = { maxRetriesPerRequest: 3, connectionName: `katya-${instanceId.slice(0, 8)}` };
  const cmd = new Redis(o.url, redisOpts);
  const sub = new Redis(o.url, redisOpts);

  const watchers = new Map<string, (e: RoomEvent) => void>();
  /** Our own members, to refresh room keys and to re-announce after Redis comes back. */
  const local = new Map<string, Map<string, PeerInfo>>();
  const remoteInstances = new Set<string>();
  const signalHandlers = new Set<(s: RelayedSignal) => void>();
  const goneHandlers = new Set<(id: string) => void>();
  let presenceOkAt = 0;
  let closed = false;
  let everReady = false;

  const warn = (what: string) => (e: unknown) => o.log(`redis bus: ${what}: ${String(e)}`);

  for (const [name, conn] of [
    ['commands', cmd],
    ['subscriber', sub],
  ] as const) {
    let reported = false;
    conn.on('error', (e: Error) => {
      // One line per outage, not one per retry.
      if (!reported) o.log(`redis bus (${name}): ${e.message}`);
      reported = true;
    });
    conn.on('ready', () => {
      reported = false;
    });
  }

  const memberValue = (peer: PeerInfo) => JSON.stringify({ i: instanceId, n: peer.name });

  const refreshPresence = async () => {
    const m = cmd.multi().set(instKey(instanceId), '1', 'PX', o.presenceTtlMs);
    for (const room of local.keys()) m.pexpire(roomKey(room), roomTtlMs);
    await m.exec();
    presenceOkAt = Date.now();
  };

  const announceJoin = async (room: string, peer: PeerInfo) => {
    const event = JSON.stringify({ k: 'j', i: instanceId, p: peer });
    const res = await cmd
      .multi()
      .hset(roomKey(room), peer.peerId, memberValue(peer))
      .pexpire(roomKey(room), roomTtlMs)
      .publish(roomChPrefix + room, event)
      .exec();
    const err = res?.find(([e]) => e)?.[0];
    if (err) throw new MeshError('internal', `redis join failed: ${err.message}`, { cause: err });
  };

  /** Live instances among `ids` (ourselves always). Dead ones are reported and purged. */
  const liveInstances = async (ids: Iterable<string>): Promise<Set<string>> => {
    const list = [...new Set(ids)].filter((id) => id !== instanceId);
    const live = new Set<string>([instanceId]);
    if (list.length === 0) return live;
    const values = await cmd.mget(list.map(instKey));
    list.forEach((id, i) => {
      if (values[i] !== null) {
        live.add(id);
        remoteInstances.add(id);
      } else if (remoteInstances.delete(id)) {
        for (const h of goneHandlers) h(id);
      }
    });
    return live;
  };

  const readMembers = async (room: string): Promise<Member[]> => {
    const raw = await cmd.hgetall(roomKey(room));
    const members: Member[] = [];
    for (const [peerId, value] of Object.entries(raw)) {
      const m = decodeMember(peerId, value);
      if (m) members.push(m);
    }
    const live = await liveInstances(members.map((m) => m.instanceId));
    for (const m of members) {
      if (!live.has(m.instanceId)) purge(room, m.instanceId);
    }
    return members.filter((m) => live.has(m.instanceId));
  };

  const purge = (room: string, deadId: string) => {
    cmd.eval(PURGE_LUA, 2, roomKey(room), roomChPrefix + room, deadId).catch(warn(`purge ${room}`));
  };

  const sweep = async () => {
    if (remoteInstances.size === 0) return;
    const before = new Set(remoteInstances);
    const live = await liveInstances(before);
    for (const id of before) {
      if (live.has(id)) continue;
      for (const room of watchers.keys()) purge(room, id);
    }
  };

  sub.on('message', (channel: string, message: string) => {
    if (channel === myChannel) {
      const s = decodeSignal(message);
      if (s) for (const h of signalHandlers) h(s);
      else o.log('redis bus: malformed signal dropped');
      return;
    }
    if (!channel.startsWith(roomChPrefix)) return;
    const room = channel.slice(roomChPrefix.length);
    const e = decodeEvent(room, message);
    if (!e) return o.log(`redis bus: malformed event in ${room} dropped`);
    const from = e.kind === 'joined' ? e.member.instanceId : e.kind === 'left' ? e.instanceId : '';
    if (from === instanceId) return;
    if (e.kind === 'joined') remoteInstances.add(from);
    watchers.get(room)?.(e);
  });

  const resync = async () => {
    await refreshPresence();
    for (const [room, peers] of local) {
      for (const peer of peers.values()) await announceJoin(room, peer);
    }
    for (const [room, handler] of watchers) {
      handler({ kind: 'snapshot', room, members: await readMembers(room) });
    }
  };

  const ready = (async () => {
    await Promise.all([cmd.status === 'ready' ? null : onceReady(cmd), onceReady(sub)]);
    await sub.subscribe(myChannel);
    await refreshPresence();
    everReady = true;
  })();
  // After an outage, our presence may have expired and we missed events both ways.
  cmd.on('ready', () => {
    if (everReady && !closed) resync().catch(warn('resync after reconnect'));
  });

  const tick = Math.max(50, Math.floor(o.presenceTtlMs / 3));
  const timer = setInterval(() => {
    if (!everReady || closed) return;
    refreshPresence().catch(warn('presence refresh'));
    sweep().catch(warn('sweep'));
  }, tick);
  timer.unref();

  return {
    kind: 'redis',
    instanceId,
    ready,
    isReady: () =>
      !closed &&
      cmd.status === 'ready' &&
      sub.status === 'ready' &&
      Date.now() - presenceOkAt < o.presenceTtlMs,
    watchRoom(room, onEvent): RoomWatch {
      watchers.set(room, onEvent);
      const channel = roomChPrefix + room;
      // Subscribe before reading, so nothing that happens after the read is missed.
      const members = sub.subscribe(channel).then(() => readMembers(room));
      return {
        members,
        dispose() {
          if (watchers.get(room) !== onEvent) return;
          watchers.delete(room);
          if (!closed) sub.unsubscribe(channel).catch(warn(`unsubscribe ${room}`));
        },
      };
    },
    async announceJoin(room, peer) {
      let peers = local.get(room);
      if (!peers) local.set(room, (peers = new Map()));
      peers.set(peer.peerId, { peerId: peer.peerId, name: cleanName(peer.name) });
      await announceJoin(room, peer);
    },
    async announceLeave(room, peerId) {
      const peers = local.get(room);
      peers?.delete(peerId);
      if (peers?.size === 0) local.delete(room);
      const event = JSON.stringify({ k: 'l', i: instanceId, id: peerId });
      await cmd.eval(LEAVE_LUA, 2, roomKey(room), roomChPrefix + room, peerId, instanceId, event);
    },
    sendSignal(target, s) {
      const message = JSON.stringify({ r: s.room, f: s.from, t: s.to, d: s.data });
      cmd.publish(`${p}ch:inst:${target}`, message).catch(warn('signal publish'));
    },
    onSignal(handler) {
      signalHandlers.add(handler);
      return () => signalHandlers.delete(handler);
    },
    onInstanceGone(handler) {
      goneHandlers.add(handler);
      return () => goneHandlers.delete(handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      // Deleting our presence lets other instances drop leftovers now instead of at expiry.
      if (cmd.status === 'ready') await cmd.del(instKey(instanceId)).catch(warn('presence delete'));
      await Promise.all([end(cmd), end(sub)]);
    },
  };
}

/** quit() waits for a reply, which never comes while Redis is unreachable. */
async function end(conn: Redis): Promise<void> {
  if (conn.status !== 'ready') return conn.disconnect();
  await conn.quit().catch(() => conn.disconnect());
}

function onceReady(conn: Redis): Promise<void> {
  return new Promise((resolve) => conn.once('ready', () => resolve()));
}
