/**
 * IndexedDB failures become typed MeshErrors at the store boundary, so the node worker branches on
 * `code` ('storage-full' → tell the user / evict carried mail; 'storage-failed' → retry later)
 * instead of on DOMException names that differ between browsers.
 *
 * Nothing already committed is lost on these paths: each store operation is one transaction, and
 * an aborted transaction rolls back only its own writes.
 */
import { MeshError, isMeshError } from '../../../src/protocol/errors.ts';

function errorName(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string') {
    return e.name;
  }
  return undefined;
}

/** True for a quota failure anywhere in the cause chain (Firefox/Safari wrap it in an abort). */
function isQuotaError(e: unknown, depth = 0): boolean {
  if (depth > 4 || typeof e !== 'object' || e === null) return false;
  if (errorName(e) === 'QuotaExceededError') return true;
  return 'cause' in e && isQuotaError(e.cause, depth + 1);
}

export function toStorageError(op: string, e: unknown): MeshError {
  if (isMeshError(e)) return e;
  if (isQuotaError(e)) {
    return new MeshError('storage-full', `${op}: storage quota exceeded`, { cause: e });
  }
  const name = errorName(e) ?? 'unknown error';
  return new MeshError('storage-failed', `${op}: ${name}`, { cause: e });
}

/** Runs one store operation and rethrows any failure as a typed MeshError. */
export async function storageOp<T>(op: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toStorageError(op, e);
  }
}
