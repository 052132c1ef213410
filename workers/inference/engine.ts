/**
 * Runs the ONNX models through any onnxruntime flavour with the shared JS API (onnxruntime-web in
 * the worker, onnxruntime-node in tests and the native benchmark). Sessions are created lazily and
 * once per variant; model bytes are checked against the card's sha256 before use.
 */
import { MeshError } from '../../src/protocol/errors.ts';
import type { PackedBatch } from './batch.ts';
import type { ModelCard, Variant } from './model-card.ts';

/** The slice of onnxruntime's API we use (identical in onnxruntime-web and onnxruntime-node). */
export interface OrtLike {
  InferenceSession: { create(model: Uint8Array): Promise<OrtSession> };
  Tensor: new (
    type: 'int32' | 'float32',
    data: Int32Array | Float32Array,
    dims: readonly number[],
  ) => unknown;
}
export interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown } | undefined>>;
}

export interface ModelSource {
  card(): Promise<ModelCard>;
  bytes(path: string): Promise<Uint8Array>;
}

export interface Engine {
  score(variant: Variant, batch: PackedBatch): Promise<Float32Array>;
  ready(variant: Variant): Promise<void>;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The models' three inputs for a packed batch (see export-onnx.ts). */
export function ortFeeds(
  ort: Pick<OrtLike, 'Tensor'>,
  batch: PackedBatch,
): Record<string, unknown> {
  return {
    indices: new ort.Tensor('int32', batch.indices, [batch.n, batch.k]),
    values: new ort.Tensor('float32', batch.values, [batch.n, batch.k]),
    words: new ort.Tensor('int32', batch.words, [batch.n, batch.kw]),
  };
}

export function createOrtEngine(loadOrt: () => Promise<OrtLike>, source: ModelSource): Engine {
  const sessions = new Map<Variant, Promise<{ ort: OrtLike; session: OrtSession }>>();
  const open = (variant: Variant): Promise<{ ort: OrtLike; session: OrtSession }> => {
    let p = sessions.get(variant);
    if (!p) {
      p = (async () => {
        const [ort, card] = await Promise.all([loadOrt(), source.card()]);
        const file = card.files[variant];
        const bytes = await source.bytes(file.path);
        if ((await sha256Hex(bytes)) !== file.sha256) {
          throw new MeshError(
            'bad-message',
            `model ${file.path} does not match its card (stale cache?)`,
          );
        }
        return { ort, session: await ort.InferenceSession.create(bytes) };
      })();
      // A failed load (offline, bad file) may be retried by a later call instead of sticking.
      p.catch(() => sessions.delete(variant));
      sessions.set(variant, p);
    }
    return p;
  };
  return {
    async ready(variant) {
      await open(variant);
    },
    async score(variant, batch) {
      const { ort, session } = await open(variant);
      const out = await session.run(ortFeeds(ort, batch));
      const data = out['score']?.data;
      if (!(data instanceof Float32Array) || data.length !== batch.n) {
        throw new MeshError(
          'internal',
          `model ${variant} returned no score tensor of length ${batch.n}`,
        );
      }
      return data;
    },
  };
}
