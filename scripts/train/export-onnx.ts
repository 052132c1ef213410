/**
 * ONNX graphs for the spam MLP, built with onnx-proto (IR 8, opset 13).
 *
 * Input is sparse and fixed-width: `indices` int32 [N, K] and `values` float32 [N, K] (K =
 * MAX_FEATURES, unused slots index 0 / value 0, row 0 of W1 is zero). The first layer is a
 * Gather of embedding rows weighted by a batched MatMul, so a message costs K·H, not DIM·H. A fixed
 * K (never the batch's longest message) keeps each row's arithmetic identical in any batch.
 * `words` int32 [N, KW] (KW = MAX_WORDS, unused slots word id 0, NB[0] = 0) feeds the Naive Bayes
 * part: Gather of per-word log-odds, summed, added to the MLP's logit before the sigmoid.
 *
 * The int8 graph keeps W1 as int8 (gathered, then dequantised per hidden unit: only K rows per
 * message are touched), quantises hidden activations with a fixed scale (QuantizeLinear, never
 * DynamicQuantizeLinear, whose per-batch scale would make a score depend on its neighbours) and runs
 * the output layer as MatMulInteger.
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import type { SpamWeights, SpamWeightsInt8 } from '../../workers/inference/js-model.ts';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

type Typed = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

function tensor(name: string, dataType: number, dims: number[], data: Typed): O.ITensorProto {
  // raw_data little-endian: the layout onnx-weights.ts reads back.
  return {
    name,
    dataType,
    dims,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attrs: O.IAttributeProto[] = [],
): O.INodeProto {
  return { opType, input, output, name: `${opType}_${output[0] ?? ''}`, attribute: attrs };
}

const intAttr = (name: string, i: number): O.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i,
});

function io(name: string, elemType: number, dims: (number | string)[]): O.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

export interface ExportMeta {
  readonly maxFeatures: number;
  readonly maxWords: number;
  readonly props: Record<string, string>;
}

function model(graph: O.IGraphProto, meta: ExportMeta): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'katya-mesh scripts/train',
    graph,
    metadataProps: Object.entries(meta.props).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** Shared tail after the hidden pre-activation sum `S` [N,1,H]. */
function bagOfRows(rowsName: string, K: number): O.INodeProto[] {
  return [
    node('Unsqueeze', ['values', 'axis1'], ['V']),
    node('MatMul', ['V', rowsName], ['S']),
    node('Flatten', ['S'], ['S2'], [intAttr('axis', 1)]),
    node('Add', ['S2', 'b1'], ['A']),
    node('Relu', ['A'], ['R']),
  ].map((n) => ({ ...n, docString: `bag of K=${K} rows` }));
}

function inputs(meta: ExportMeta): O.IValueInfoProto[] {
  const K = meta.maxFeatures;
  return [
    io('indices', T.INT32, ['N', K]),
    io('values', T.FLOAT, ['N', K]),
    io('words', T.INT32, ['N', meta.maxWords]),
  ];
}

/** The Naive Bayes term added to the MLP logit `Z2` [N,1], then the sigmoid. */
function naiveBayesAndSigmoid(): O.INodeProto[] {
  return [
    node('Gather', ['NB', 'words'], ['NBw'], [intAttr('axis', 0)]),
    node('ReduceSum', ['NBw', 'axis1'], ['NBs'], [intAttr('keepdims', 1)]),
    node('Add', ['Z2', 'NBs'], ['Z3']),
    node('Sigmoid', ['Z3'], ['score']),
  ];
}

export function exportFloat(w: SpamWeights, meta: ExportMeta): Uint8Array {
  const H = w.hidden;
  const K = meta.maxFeatures;
  return model(
    {
      name: 'spam_mlp_float32',
      input: inputs(meta),
      output: [io('score', T.FLOAT, ['N', 1])],
      initializer: [
        tensor('W1', T.FLOAT, [w.dim, H], w.w1),
        tensor('b1', T.FLOAT, [H], w.b1),
        tensor('W2', T.FLOAT, [H, 1], w.w2),
        tensor('b2', T.FLOAT, [1], Float32Array.of(w.b2)),
        tensor('NB', T.FLOAT, [w.nb.length], w.nb),
        tensor('axis1', T.INT64, [1], BigInt64Array.of(1n)),
      ],
      node: [
        node('Gather', ['W1', 'indices'], ['E'], [intAttr('axis', 0)]),
        ...bagOfRows('E', K),
        node('MatMul', ['R', 'W2'], ['Z']),
        node('Add', ['Z', 'b2'], ['Z2']),
        ...naiveBayesAndSigmoid(),
      ],
    },
    meta,
  );
}

export function exportInt8(q: SpamWeightsInt8, meta: ExportMeta): Uint8Array {
  const H = q.hidden;
  const K = meta.maxFeatures;
  return model(
    {
      name: 'spam_mlp_int8',
      input: inputs(meta),
      output: [io('score', T.FLOAT, ['N', 1])],
      initializer: [
        tensor('W1q', T.INT8, [q.dim, H], q.w1q),
        tensor('w1_scale', T.FLOAT, [H], q.w1Scale),
        tensor('w1_zp', T.INT8, [H], new Int8Array(H)),
        tensor('b1', T.FLOAT, [H], q.b1),
        tensor('h_scale', T.FLOAT, [], Float32Array.of(q.hScale)),
        tensor('h_zp', T.UINT8, [], new Uint8Array(1)),
        tensor('W2q', T.INT8, [H, 1], q.w2q),
        tensor('w2_zp', T.INT8, [], new Int8Array(1)),
        tensor('out_scale', T.FLOAT, [], Float32Array.of(q.outScale)),
        tensor('b2', T.FLOAT, [1], Float32Array.of(q.b2)),
        tensor('NB', T.FLOAT, [q.nb.length], q.nb),
        tensor('axis1', T.INT64, [1], BigInt64Array.of(1n)),
      ],
      node: [
        node('Gather', ['W1q', 'indices'], ['Eq'], [intAttr('axis', 0)]),
        node('DequantizeLinear', ['Eq', 'w1_scale', 'w1_zp'], ['E'], [intAttr('axis', 2)]),
        ...bagOfRows('E', K),
        node('QuantizeLinear', ['R', 'h_scale', 'h_zp'], ['Rq']),
        node('MatMulInteger', ['Rq', 'W2q', 'h_zp', 'w2_zp'], ['Zi']),
        node('Cast', ['Zi'], ['Zf'], [intAttr('to', T.FLOAT)]),
        node('Mul', ['Zf', 'out_scale'], ['Z']),
        node('Add', ['Z', 'b2'], ['Z2']),
        ...naiveBayesAndSigmoid(),
      ],
    },
    meta,
  );
}
