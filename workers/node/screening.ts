/**
 * Screens incoming messages with the on-device classifier (inference worker, reached over its
 * own Comlink port). The user's verdict on a sender overrides the model for that sender, and the
 * strictness setting (or 'off') picks the threshold; both persist in the settings store.
 * Screening never holds a message back for long: if the model is slow or broken the message is
 * shown unscreened rather than lost.
 */
import type { Remote } from 'comlink';
import { MeshError } from '../../src/protocol/errors.ts';
import type { InferenceApi } from '../inference/api.ts';
import type { ScreeningSettings, SpamVerdict, Strictness } from './api.ts';
import type { SettingsStore } from './store/settings-store.ts';

const STRICTNESS_KEY = 'screening.strictness';
const feedbackKey = (peerId: string) => `screening.feedback.${peerId}`;
const STRICTNESS = new Set<Strictness>(['off', 'low', 'medium', 'high']);

export interface ScreeningOptions {
  settings: SettingsStore;
  timeoutMs?: number;
  onError(e: MeshError): void;
}

export function createScreening(o: ScreeningOptions) {
  const timeoutMs = o.timeoutMs ?? 5_000;
  let model: Remote<InferenceApi> | undefined;
  let strictness: Strictness | undefined;

  const currentStrictness = async (): Promise<Strictness> => {
    strictness ??= await o.settings.get<Strictness>(STRICTNESS_KEY, 'medium');
    return STRICTNESS.has(strictness) ? strictness : 'medium';
  };

  const classify = async (msgId: string, text: string, level: Exclude<Strictness, 'off'>) => {
    if (!model) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new MeshError('timeout', 'spam screening timed out')),
        timeoutMs,
      );
    });
    try {
      const [r] = await Promise.race([
        model.classify([{ id: msgId, text }], { strictness: level }),
        timeout,
      ]);
      return r;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    connect(remote: Remote<InferenceApi>) {
      model = remote;
    },
    /** Loads the model off the start-up path, so the first message is not the one that waits. */
    warmup() {
      model
        ?.warmup()
        .catch((e: unknown) => o.onError(new MeshError('internal', `model warm-up: ${String(e)}`)));
    },
    async screen(
      msgId: string,
      from: string,
      text: string,
    ): Promise<{ score: number; flagged: boolean } | undefined> {
      const level = await currentStrictness();
      if (level === 'off') return undefined;
      const verdict = await o.settings.get<SpamVerdict | null>(feedbackKey(from), null);
      try {
        const r = await classify(msgId, text, level);
        if (!r) return undefined;
        const flagged = verdict === 'spam' ? true : verdict === 'not-spam' ? false : r.flagged;
        return { score: r.spamScore, flagged };
      } catch (e) {
        o.onError(
          e instanceof MeshError ? e : new MeshError('internal', `screening: ${String(e)}`),
        );
        return verdict
          ? { score: verdict === 'spam' ? 1 : 0, flagged: verdict === 'spam' }
          : undefined;
      }
    },
    async settings(): Promise<ScreeningSettings> {
      return { strictness: await currentStrictness(), available: model !== undefined };
    },
    async setStrictness(s: Strictness): Promise<void> {
      if (!STRICTNESS.has(s)) throw new MeshError('bad-message', `unknown strictness ${String(s)}`);
      await o.settings.set(STRICTNESS_KEY, s);
      strictness = s;
    },
    async feedback(peerId: string): Promise<SpamVerdict | null> {
      return o.settings.get<SpamVerdict | null>(feedbackKey(peerId), null);
    },
    async setFeedback(peerId: string, verdict: SpamVerdict | null): Promise<void> {
      if (verdict === null) await o.settings.delete(feedbackKey(peerId));
      else await o.settings.set(feedbackKey(peerId), verdict);
    },
  };
}

export type Screening = ReturnType<typeof createScreening>;
