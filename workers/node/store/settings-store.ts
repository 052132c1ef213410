/** Small key/value settings (screening strictness, UI preferences), typed at the call site. */
import type { MeshDb } from './db.ts';
import { storageOp } from './storage-errors.ts';

export interface SettingsStore {
  get<T>(key: string, fallback: T): Promise<T>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createSettingsStore(db: MeshDb): SettingsStore {
  return {
    get: <T>(key: string, fallback: T) =>
      storageOp('read setting', async () => {
        const v = await db.get('settings', key);
        return v === undefined ? fallback : (v as T);
      }),
    set: (key, value) =>
      storageOp('save setting', async () => {
        await db.put('settings', value, key);
      }),
    delete: (key) => storageOp('delete setting', () => db.delete('settings', key)),
  };
}
