/**
 * A rough, cheap estimate of how much memory a cached value holds, for the cache's byte bound.
 * It need not be exact, only monotone in the obvious things (longer strings and bigger buffers
 * cost more) and safe on any structured-cloneable value (cycles, host objects like CryptoKey).
 */
const OBJECT_OVERHEAD = 16;
const MAX_DEPTH = 8;

export function estimateBytes(value: unknown): number {
  return walk(value, 0, new WeakSet());
}

function walk(v: unknown, depth: number, seen: WeakSet<object>): number {
  switch (typeof v) {
    case 'string':
      return 2 * v.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'object':
      break;
    default:
      // undefined, functions, symbols: nothing worth counting.
      return 0;
  }
  if (v === null) return 0;
  if (ArrayBuffer.isView(v)) return OBJECT_OVERHEAD + v.byteLength;
  if (v instanceof ArrayBuffer) return OBJECT_OVERHEAD + v.byteLength;
  if (seen.has(v) || depth >= MAX_DEPTH) return OBJECT_OVERHEAD;
  seen.add(v);
  let n = OBJECT_OVERHEAD;
  if (Array.isArray(v)) {
    for (const item of v) n += 8 + walk(item, depth + 1, seen);
    return n;
  }
  if (v instanceof Map) {
    for (const [k, item] of v) n += walk(k, depth + 1, seen) + walk(item, depth + 1, seen);
    return n;
  }
  if (v instanceof Set) {
    for (const item of v) n += 8 + walk(item, depth + 1, seen);
    return n;
  }
  // Host objects (CryptoKey) expose no own enumerable fields and count as their overhead only.
  for (const [k, item] of Object.entries(v)) n += 2 * k.length + walk(item, depth + 1, seen);
  return n;
}
