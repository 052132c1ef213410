/**
 * Test harness (not a test file): real ws clients against a real server on 127.0.0.1:0. Every
 * server message a client receives goes through parseServerMessage, so the tests also prove the
 * server speaks the protocol the browser client accepts.
 */
import { WebSocket, type ClientOptions } from 'ws';
import { toHex } from '../src/protocol/bytes.ts';
import { MeshError } from '../src/protocol/errors.ts';
import { generateIdentity, type Identity } from '../src/protocol/identity.ts';
import {
  SIGNALING_PATH,
  joinChallengeBytes,
  parseServerMessage,
  type ServerMessage,
} from '../src/protocol/signaling.ts';
import {
  createSignalServer,
  type SignalServer,
  type SignalServerOptions,
} from './create-server.ts';

export interface Started {
  server: SignalServer;
  wsUrl: string;
  httpUrl: string;
}

export async function startServer(opts: SignalServerOptions = {}): Promise<Started> {
  const server = createSignalServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: null,
    log: () => undefined,
    ...opts,
  });
  await server.ready;
  const { port } = server.address();
  return {
    server,
    wsUrl: `ws://127.0.0.1:${port}${SIGNALING_PATH}`,
    httpUrl: `http://127.0.0.1:${port}`,
  };
}

type Msg<T extends ServerMessage['t']> = Extract<ServerMessage, { t: T }>;

export class TestClient {
  readonly received: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  hello!: Msg<'hello'>;
  /** A transport error (e.g. the upgrade was refused); rethrown by next(). */
  error: Error | undefined;
  private waiter: (() => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) throw new MeshError('bad-frame', 'server sent a binary frame');
      const parsed = parseServerMessage(data.toString());
      if (!parsed.ok) throw parsed.error;
      this.received.push(parsed.value);
      this.waiter?.();
    });
    ws.on('error', (e) => {
      this.error = e;
      this.waiter?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.waiter?.();
      }),
    );
  }

  static async connect(url: string, opts?: ClientOptions): Promise<TestClient> {
    const c = new TestClient(new WebSocket(url, opts));
    c.hello = await c.next('hello');
    return c;
  }

  send(m: unknown): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  /** Takes the first buffered or future message of type t (matching pred) off the queue. */
  async next<T extends ServerMessage['t']>(
    t: T,
    pred: (m: Msg<T>) => boolean = () => true,
    timeoutMs = 3000,
  ): Promise<Msg<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex((m) => m.t === t && pred(m as Msg<T>));
      if (i >= 0) return this.received.splice(i, 1)[0] as Msg<T>;
      const left = deadline - Date.now();
      if (this.error && this.ws.readyState === WebSocket.CLOSED) throw this.error;
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        const seen = JSON.stringify(this.received.map((m) => m.t));
        throw new MeshError('timeout', `no '${t}' message (have ${seen})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Resolves with whatever matching message arrives within ms (none → undefined). */
  async maybe<T extends ServerMessage['t']>(
    t: T,
    ms: number,
    pred: (m: Msg<T>) => boolean = () => true,
  ): Promise<Msg<T> | undefined> {
    return this.next(t, pred, ms).catch((e: unknown) => {
      if (e instanceof MeshError && e.code === 'timeout') return undefined;
      throw e;
    });
  }

  async join(room: string, id?: Identity, name = 'tester'): Promise<Msg<'welcome'>> {
    const identity = id ?? (await generateIdentity());
    this.send(await joinMessage(identity, this.hello.nonce, room, name));
    return this.next('welcome');
  }

  close(): void {
    this.ws.close();
  }
}

export async function joinMessage(id: Identity, nonce: string, room: string, name = 'tester') {
  const sig = await id.sign(joinChallengeBytes(nonce, room));
  return {
    t: 'join',
    room,
    peerId: id.peerId,
    name,
    publicKey: toHex(id.publicKey),
    sig: toHex(sig),
  };
}

export async function joined(url: string, room: string, name = 'tester') {
  const id = await generateIdentity();
  const client = await TestClient.connect(url);
  const welcome = await client.join(room, id, name);
  return { client, id, welcome };
}
