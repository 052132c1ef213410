/**
 * The seam between room logic and where room membership lives. The room logic keeps the sockets
 * of its own instance; the bus tells it about members on other instances and carries signals to
 * them. In-process (the default) every member is local and the bus is nearly free; with Redis
 * several instances share rooms. The room logic never knows which one it talks to.
 */
import { randomId } from '../src/protocol/bytes.ts';
import type { PeerInfo, SignalData } from '../src/protocol/signaling.ts';

export interface Member {
  readonly peer: PeerInfo;
  /** The instance whose socket this peer is connected to. */
  readonly instanceId: string;
}

/** Membership changes made by other instances (a bus never echoes its own). */
export type RoomEvent =
  | { kind: 'joined'; room: string; member: Member }
  | { kind: 'left'; room: string; peerId: string; instanceId: string }
  /** The bus lost events (a Redis reconnect): here is the room as it is now, reconcile. */
  | { kind: 'snapshot'; room: string; members: Member[] };

export interface RelayedSignal {
  room: string;
  from: string;
  to: string;
  data: SignalData;
}

export interface RoomWatch {
  /** Everyone in the room when the watch became live; events after it arrive via onEvent. */
  readonly members: Promise<Member[]>;
  dispose(): void;
}

export interface RoomBus {
  readonly kind: 'memory' | 'redis';
  readonly instanceId: string;
  readonly ready: Promise<void>;
  /** False while the backing store is unreachable: /ready reports 503 then. */
  isReady(): boolean;
  watchRoom(room: string, onEvent: (e: RoomEvent) => void): RoomWatch;
  announceJoin(room: string, peer: PeerInfo): Promise<void>;
  /** Only removes the membership if this instance still owns it (a newer socket elsewhere wins). */
  announceLeave(room: string, peerId: string): Promise<void>;
  /** Fire and forget: signaling is best effort, the client retries negotiation. */
  sendSignal(instanceId: string, signal: RelayedSignal): void;
  onSignal(handler: (s: RelayedSignal) => void): () => void;
  /** An instance stopped refreshing its presence (crashed): its members are gone. */
  onInstanceGone(handler: (instanceId: string) => void): () => void;
  close(): Promise<void>;
}

interface MemoryInstance {
  readonly watchers: Map<string, (e: RoomEvent) => void>;
  readonly signalHandlers: Set<(s: RelayedSignal) => void>;
}

/** Shared state for in-process buses; several servers on one hub behave like Redis instances. */
export interface MemoryHub {
  readonly rooms: Map<string, Map<string, Member>>;
  readonly instances: Map<string, MemoryInstance>;
}

export function createMemoryHub(): MemoryHub {
  return { rooms: new Map(), instances: new Map() };
}

export function createMemoryBus(
  hub: MemoryHub = createMemoryHub(),
  instanceId = randomId(),
): RoomBus {
  const self: MemoryInstance = { watchers: new Map(), signalHandlers: new Set() };
  hub.instances.set(instanceId, self);

  // Deliver on a microtask: mimics a network hop and keeps one server's handlers from running
  // inside another's call stack.
  const broadcast = (e: RoomEvent) => {
    for (const [id, inst] of hub.instances) {
      if (id === instanceId) continue;
      const w = inst.watchers.get(e.room);
      if (w) queueMicrotask(() => w(e));
    }
  };

  return {
    kind: 'memory',
    instanceId,
    ready: Promise.resolve(),
    isReady: () => hub.instances.has(instanceId),
    watchRoom(room, onEvent) {
      self.watchers.set(room, onEvent);
      return {
        members: Promise.resolve([...(hub.rooms.get(room)?.values() ?? [])]),
        dispose: () => {
          if (self.watchers.get(room) === onEvent) self.watchers.delete(room);
        },
      };
    },
    async announceJoin(room, peer) {
      let members = hub.rooms.get(room);
      if (!members) hub.rooms.set(room, (members = new Map()));
      const member = { peer, instanceId };
      members.set(peer.peerId, member);
      broadcast({ kind: 'joined', room, member });
    },
    async announceLeave(room, peerId) {
      const members = hub.rooms.get(room);
      if (members?.get(peerId)?.instanceId !== instanceId) return;
      members.delete(peerId);
      if (members.size === 0) hub.rooms.delete(room);
      broadcast({ kind: 'left', room, peerId, instanceId });
    },
    sendSignal(target, signal) {
      const inst = hub.instances.get(target);
      if (inst) for (const h of inst.signalHandlers) queueMicrotask(() => h(signal));
    },
    onSignal(handler) {
      self.signalHandlers.add(handler);
      return () => self.signalHandlers.delete(handler);
    },
    onInstanceGone() {
      // In one process an instance cannot crash without taking the hub with it.
      return () => undefined;
    },
    async close() {
      hub.instances.delete(instanceId);
    },
  };
}
