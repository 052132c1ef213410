/**
 * Realistic history records for the storage bench: random 32-hex ids (so primary-key inserts land
 * all over the B-tree, as real random msgIds do), a few conversations of uneven size, chat-length
 * texts, and the optional fields the node worker really stores. Seeded, so runs compare alike.
 */
import { mulberry32, randomInt, randomPeerId, type Rng } from '../workers/node/routing/prng.ts';
import type { ConversationId, StoredMessage } from '../workers/node/store/types.ts';

const WORDS = (
  'hey ok sure tomorrow meeting the a to of and is on for you we are this that can will see ' +
  'link mesh relay route offline back soon thanks later lunch coffee call now here there done ' +
  'sending file photo build test works broken fixed great nice lol yes no maybe why how when'
).split(' ');

const NAMES = ['katya', 'misha', 'ana', 'li', 'sam', 'noor', 'olu', 'jo'];

export interface MessageSource {
  /** `n` new messages with fresh ids and timestamps after every earlier one (± jitter). */
  next(n: number): StoredMessage[];
  readonly conversations: readonly ConversationId[];
}

function text(rng: Rng): string {
  // Mostly short chat lines, now and then a paragraph.
  const n = rng() < 0.9 ? randomInt(rng, 1, 16) : randomInt(rng, 30, 80);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[randomInt(rng, 0, WORDS.length - 1)]!);
  return out.join(' ');
}

export function messageSource(seed: number, startTs = 1_780_000_000_000): MessageSource {
  const rng = mulberry32(seed);
  const self = randomPeerId(rng);
  const peers = NAMES.map(() => randomPeerId(rng));
  const conversations: ConversationId[] = [
    'room',
    `dm:${peers[0]!}`,
    `dm:${peers[1]!}`,
    'room:ops',
  ];
  // The room is busiest; cumulative weights 50% / 25% / 15% / 10%.
  const cumulative = [0.5, 0.75, 0.9, 1];
  let ts = startTs;

  const one = (): StoredMessage => {
    const r = rng();
    const c = conversations[cumulative.findIndex((w) => r < w)]!;
    const dm = c.startsWith('dm:') ? c.slice(3) : undefined;
    const out = rng() < 0.3;
    const from = out ? self : (dm ?? peers[randomInt(rng, 0, peers.length - 1)]!);
    ts += randomInt(rng, 1, 2000);
    // Sender clocks disagree a little: ts is not the arrival order.
    const sent = ts - randomInt(rng, 0, 1500);
    const msg: StoredMessage = {
      msgId: randomPeerId(rng),
      conversation: c,
      from,
      fromName: NAMES[randomInt(rng, 0, NAMES.length - 1)]!,
      ts: sent,
      receivedAt: ts,
      text: text(rng),
      direction: out ? 'out' : 'in',
    };
    if (out) msg.status = rng() < 0.8 ? 'delivered' : 'sent';
    else {
      const score = rng() * 0.2;
      msg.spam = { score, flagged: false };
      msg.hops = randomInt(rng, 1, 4);
    }
    return msg;
  };

  return {
    conversations,
    next(n) {
      const list: StoredMessage[] = new Array<StoredMessage>(n);
      for (let i = 0; i < n; i++) list[i] = one();
      return list;
    },
  };
}
