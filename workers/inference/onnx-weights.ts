/**
 * Reads the weight tensors (graph initializers) straight out of our ONNX files, so the plain-JS
 * evaluator uses the very bytes onnxruntime runs: no second weights file to drift out of sync, and
 * no protobuf library in the worker. Handles only what scripts/train/export-onnx.ts writes
 * (initializers with raw_data).
 */
import { MeshError } from '../../src/protocol/errors.ts';
import type { SpamWeights, SpamWeightsInt8 } from './js-model.ts';

interface RawTensor {
  readonly dims: number[];
  readonly dataType: number;
  readonly raw: Uint8Array;
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new MeshError('bad-message', 'onnx: truncated varint');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  }
  /** Skips a field of the given wire type, or returns the [start, end) of a length-delimited one. */
  field(wire: number): [number, number] | null {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else if (wire === 2) {
      const len = this.varint();
      const start = this.pos;
      this.pos += len;
      if (this.pos > this.end) throw new MeshError('bad-message', 'onnx: field past end');
      return [start, this.pos];
    } else throw new MeshError('bad-message', `onnx: unsupported wire type ${wire}`);
    return null;
  }
}

function* fields(buf: Uint8Array, start: number, end: number): Generator<[number, number, Reader]> {
  const r = new Reader(buf, end);
  r.pos = start;
  while (r.pos < end) {
    const tag = r.varint();
    yield [tag >>> 3, tag & 7, r];
  }
}

function readTensor(buf: Uint8Array, start: number, end: number): [string, RawTensor] {
  let name = '';
  let dataType = 0;
  let raw: Uint8Array | null = null;
  const dims: number[] = [];
  for (const [no, wire, r] of fields(buf, start, end)) {
    if (no === 1 && wire === 0) dims.push(r.varint());
    else if (no === 1 && wire === 2) {
      // Packed repeated int64: varints back to back, no tags.
      const [s, e] = r.field(2) as [number, number];
      const packed = new Reader(buf, e);
      packed.pos = s;
      while (packed.pos < e) dims.push(packed.varint());
    } else if (no === 2 && wire === 0) dataType = r.varint();
    else {
      const span = r.field(wire);
      if (span && no === 8) name = new TextDecoder().decode(buf.subarray(span[0], span[1]));
      // Copy: raw_data is not aligned for typed-array views inside the model bytes.
      if (span && no === 9) raw = new Uint8Array(buf.subarray(span[0], span[1]));
    }
  }
  if (!raw) throw new MeshError('bad-message', `onnx: initializer ${name} has no raw_data`);
  return [name, { dims, dataType, raw }];
}

export function readInitializers(model: Uint8Array): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  for (const [no, wire, r] of fields(model, 0, model.length)) {
    const span = r.field(wire);
    if (no !== 7 || !span) continue; // ModelProto.graph
    for (const [gno, gwire, gr] of fields(model, span[0], span[1])) {
      const gspan = gr.field(gwire);
      if (gno === 5 && gspan) {
        // GraphProto.initializer
        const [name, t] = readTensor(model, gspan[0], gspan[1]);
        out.set(name, t);
      }
    }
  }
  return out;
}

function get(m: Map<string, RawTensor>, name: string): RawTensor {
  const t = m.get(name);
  if (!t) throw new MeshError('bad-message', `onnx: missing initializer ${name}`);
  return t;
}

const f32 = (t: RawTensor): Float32Array =>
  new Float32Array(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength / 4);
const i8 = (t: RawTensor): Int8Array =>
  new Int8Array(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);

export function floatWeights(model: Uint8Array): SpamWeights {
  const m = readInitializers(model);
  const w1 = get(m, 'W1');
  return {
    dim: w1.dims[0] as number,
    hidden: w1.dims[1] as number,
    w1: f32(w1),
    b1: f32(get(m, 'b1')),
    w2: f32(get(m, 'W2')),
    b2: f32(get(m, 'b2'))[0] as number,
    nb: f32(get(m, 'NB')),
  };
}

export function int8Weights(model: Uint8Array): SpamWeightsInt8 {
  const m = readInitializers(model);
  const w1q = get(m, 'W1q');
  return {
    dim: w1q.dims[0] as number,
    hidden: w1q.dims[1] as number,
    w1q: i8(w1q),
    w1Scale: f32(get(m, 'w1_scale')),
    b1: f32(get(m, 'b1')),
    hScale: f32(get(m, 'h_scale'))[0] as number,
    w2q: i8(get(m, 'W2q')),
    outScale: f32(get(m, 'out_scale'))[0] as number,
    b2: f32(get(m, 'b2'))[0] as number,
    nb: f32(get(m, 'NB')),
  };
}
