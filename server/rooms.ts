/**
 * Room membership and relaying. This instance's sockets are authoritative for their own peers;
 * members on other instances come from the RoomBus (a snapshot when the room is first used here,
 * then events). A room object exists only while this instance has a peer in it (or one joining).
 */
import type { MeshErrorCode } from '../src/protocol/errors.ts';
import {
  MAX_SIGNAL_MESSAGE_BYTES,
  type PeerInfo,
  type ServerMessage,
  type SignalData,
} from '../src/protocol/signaling.ts';
import type { Metrics } from './metrics.ts';
import type { Member, RelayedSignal, RoomBus, RoomEvent, RoomWatch } from './room-bus.ts';

/** What the room logic needs from a connected socket. */
export interface RoomSession {
  peerId: string | undefined;
  room: Room | undefined;
  readonly closed: boolean;
  send(frame: string): void;
  /** A newer socket proved the same id: close this one without announcing a departure. */
  closeReplaced(): void;
}

interface RoomMember extends Member {
  readonly session?: RoomSession;
}

export interface Room {
  readonly name: string;
  readonly members: Map<string, RoomMember>;
  local: number;
  pending: number;
  loaded: boolean;
  buffered: RoomEvent[];
  loading: Promise<void>;
  watch?: RoomWatch;
}

export type JoinOutcome = { ok: true } | { ok: false; code: MeshErrorCode; message: string };

const frame = (m: ServerMessage) => JSON.stringify(m);

export class RoomRegistry {
  readonly rooms = new Map<string, Room>();
  private readonly byPeer = new Map<string, RoomSession>();
  private readonly disposers: Array<() => void>;

  constructor(
    private readonly bus: RoomBus,
    private readonly metrics: Metrics,
    private readonly maxRoomSize: number,
    private readonly log: (line: string) => void,
  ) {
    this.disposers = [
      bus.onSignal((s) => this.deliverRemote(s)),
      bus.onInstanceGone((id) => this.dropInstance(id)),
    ];
  }

  peerCount(): number {
    return this.byPeer.size;
  }

  async join(s: RoomSession, roomName: string, self: PeerInfo): Promise<JoinOutcome> {
    const room = this.rooms.get(roomName) ?? this.openRoom(roomName);
    room.pending++;
    try {
      await room.loading;
    } catch (e) {
      this.log(`room ${roomName}: membership unavailable: ${String(e)}`);
      return { ok: false, code: 'internal', message: 'room membership is unavailable, retry' };
    } finally {
      room.pending--;
    }
    if (s.closed) {
      this.maybeDrop(room);
      return { ok: false, code: 'aborted', message: 'socket closed while joining' };
    }
    let others = room.members.size;
    if (room.members.has(self.peerId)) others--;
    if (others >= this.maxRoomSize) {
      this.maybeDrop(room);
      return { ok: false, code: 'room-full', message: `room holds at most ${this.maxRoomSize}` };
    }

    const previous = this.byPeer.get(self.peerId);
    if (previous && previous !== s) {
      this.metrics.replacements++;
      // Same room: the device reconnected, the room must not see it flap (no peer-left).
      if (previous.room === room) this.detach(previous);
      else this.leave(previous);
      previous.closeReplaced();
    }
    if (s.room) {
      if (s.room === room && s.peerId === self.peerId) this.detach(s);
      else this.leave(s);
    }

    room.members.set(self.peerId, { peer: self, instanceId: this.bus.instanceId, session: s });
    room.local++;
    s.room = room;
    s.peerId = self.peerId;
    this.byPeer.set(self.peerId, s);
    this.metrics.joins++;

    const peers: PeerInfo[] = [];
    for (const m of room.members.values()) if (m.peer.peerId !== self.peerId) peers.push(m.peer);
    s.send(frame({ t: 'welcome', room: roomName, self, peers }));
    this.broadcast(room, frame({ t: 'peer-joined', peer: self }), self.peerId);
    this.bus
      .announceJoin(roomName, self)
      .catch((e: unknown) => this.log(`announce join ${roomName}: ${String(e)}`));
    return { ok: true };
  }

  /** Leaves the session's room and tells the room (locally and through the bus). */
  leave(s: RoomSession): void {
    const room = s.room;
    const peerId = s.peerId;
    if (!room || !peerId) return;
    this.detach(s);
    this.broadcast(room, frame({ t: 'peer-left', peerId }), peerId);
    this.bus
      .announceLeave(room.name, peerId)
      .catch((e: unknown) => this.log(`announce leave ${room.name}: ${String(e)}`));
    this.maybeDrop(room);
  }

  /** Returns the error code when the signal cannot be relayed. */
  relay(s: RoomSession, to: string, data: SignalData): MeshErrorCode | undefined {
    const room = s.room;
    const from = s.peerId;
    if (!room || !from) return 'not-joined';
    const target = room.members.get(to);
    if (!target) return this.byPeer.get(to)?.room ? 'wrong-room' : 'unknown-target';
    const text = frame({ t: 'signal', from, data });
    // Clients refuse frames over the limit, so a relay that grew past it would be lost.
    if (text.length > MAX_SIGNAL_MESSAGE_BYTES) return 'oversize';
    this.metrics.signalsRelayed++;
    if (target.session) {
      target.session.send(text);
      this.metrics.signalsDelivered++;
    } else {
      this.metrics.signalsRelayedRemote++;
      this.bus.sendSignal(target.instanceId, { room: room.name, from, to, data });
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposers) d();
    for (const room of this.rooms.values()) room.watch?.dispose();
    this.rooms.clear();
  }

  private openRoom(name: string): Room {
    const room: Room = {
      name,
      members: new Map(),
      local: 0,
      pending: 0,
      loaded: false,
      buffered: [],
      loading: Promise.resolve(),
    };
    this.rooms.set(name, room);
    const watch = this.bus.watchRoom(name, (e) => {
      if (room.loaded) this.applyEvent(room, e);
      else room.buffered.push(e);
    });
    room.watch = watch;
    room.loading = watch.members.then(
      (members) => {
        for (const m of members) {
          if (m.instanceId !== this.bus.instanceId && !room.members.has(m.peer.peerId)) {
            room.members.set(m.peer.peerId, m);
          }
        }
        room.loaded = true;
        // Events that raced the snapshot are applied after it, in arrival order.
        for (const e of room.buffered.splice(0)) this.applyEvent(room, e);
      },
      (e: unknown) => {
        // Forget the broken room so the next join retries the snapshot.
        watch.dispose();
        if (this.rooms.get(name) === room) this.rooms.delete(name);
        throw e;
      },
    );
    return room;
  }

  private applyEvent(room: Room, e: RoomEvent): void {
    if (e.kind === 'joined') {
      const { peer, instanceId } = e.member;
      if (instanceId === this.bus.instanceId) return;
      const local = this.byPeer.get(peer.peerId);
      if (local) {
        // The device reconnected to another instance: that socket wins.
        this.metrics.replacements++;
        if (local.room === room) this.detach(local);
        else this.leave(local);
        local.closeReplaced();
      }
      room.members.set(peer.peerId, e.member);
      this.broadcast(room, frame({ t: 'peer-joined', peer }), peer.peerId);
      this.maybeDrop(room);
    } else if (e.kind === 'snapshot') {
      this.reconcile(room, e.members);
    } else {
      const m = room.members.get(e.peerId);
      if (!m || m.session || m.instanceId !== e.instanceId) return;
      room.members.delete(e.peerId);
      this.broadcast(room, frame({ t: 'peer-left', peerId: e.peerId }), e.peerId);
    }
  }

  private reconcile(room: Room, members: Member[]): void {
    const now = new Map<string, Member>();
    for (const m of members) if (m.instanceId !== this.bus.instanceId) now.set(m.peer.peerId, m);
    for (const [peerId, m] of room.members) {
      if (m.session || now.has(peerId)) continue;
      room.members.delete(peerId);
      this.broadcast(room, frame({ t: 'peer-left', peerId }), peerId);
    }
    for (const [peerId, m] of now) {
      const known = room.members.get(peerId);
      if (known?.session) continue; // our own socket is the truth for our peers
      if (known && known.instanceId === m.instanceId && known.peer.name === m.peer.name) continue;
      room.members.set(peerId, m);
      this.broadcast(room, frame({ t: 'peer-joined', peer: m.peer }), peerId);
    }
  }

  private dropInstance(instanceId: string): void {
    for (const room of this.rooms.values()) {
      for (const [peerId, m] of room.members) {
        if (m.session || m.instanceId !== instanceId) continue;
        room.members.delete(peerId);
        this.broadcast(room, frame({ t: 'peer-left', peerId }), peerId);
      }
    }
  }

  private deliverRemote(sig: RelayedSignal): void {
    const s = this.byPeer.get(sig.to);
    if (!s || s.room?.name !== sig.room) return;
    s.send(frame({ t: 'signal', from: sig.from, data: sig.data }));
    this.metrics.signalsDelivered++;
  }

  /** Removes the session from its room without telling anyone. */
  private detach(s: RoomSession): void {
    const room = s.room;
    const peerId = s.peerId;
    s.room = undefined;
    if (!room || !peerId) return;
    if (room.members.get(peerId)?.session === s) {
      room.members.delete(peerId);
      room.local--;
    }
    if (this.byPeer.get(peerId) === s) this.byPeer.delete(peerId);
  }

  private maybeDrop(room: Room): void {
    if (room.local > 0 || room.pending > 0 || this.rooms.get(room.name) !== room) return;
    room.watch?.dispose();
    this.rooms.delete(room.name);
  }

  private broadcast(room: Room, text: string, except: string): void {
    for (const m of room.members.values()) {
      if (m.session && m.peer.peerId !== except) m.session.send(text);
    }
  }
}
