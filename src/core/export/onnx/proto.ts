// ONNX messages (onnx.proto, IR version 7 / opset 13) as protobuf bytes. Field numbers are onnx.proto's.
import { Message } from './protobuf';

export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;

const FLOAT = 1;
const INT64 = 7;

export type AttrValue = number | number[] | string | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs?: Record<string, AttrValue>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: float32 with fixed sizes, or a named symbolic size (the batch). */
export interface OnnxValue {
  name: string;
  dims: Array<number | string>;
}

function attribute(name: string, v: AttrValue): Message {
  const m = new Message().string(1, name);
  // AttributeType: FLOAT 1, INT 2, STRING 3, INTS 7.
  if (typeof v === 'object' && !Array.isArray(v)) return m.float(2, v.float).int(20, 1);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: write non-integers as { float }`);
    return m.int(3, v).int(20, 2);
  }
  if (typeof v === 'string') return m.string(4, v).int(20, 3);
  return m.packedInts(8, v).int(20, 7);
}

function node(n: OnnxNode): Message {
  const m = new Message();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  m.string(3, n.name).string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) m.message(5, attribute(k, v));
  return m;
}

function tensor(t: OnnxTensor): Message {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== expected) throw new Error(`tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(', ')}]`);
  // raw_data is little-endian, which typed arrays are on every platform Node runs on.
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return new Message()
    .packedInts(1, t.dims)
    .int(2, t.data instanceof Float32Array ? FLOAT : INT64)
    .string(8, t.name)
    .bytes(9, raw);
}

function valueInfo(v: OnnxValue): Message {
  const shape = new Message();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  const tensorType = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, v.name).message(2, new Message().message(1, tensorType));
}

export interface OnnxModel {
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  producer: { name: string; version: string };
  docString: string;
  metadata: Record<string, string>;
}

/** Serialises a model: ModelProto with one GraphProto and the default-domain opset. */
export function encodeModel(m: OnnxModel): Uint8Array {
  const graph = new Message();
  for (const n of m.nodes) graph.message(1, node(n));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, tensor(t));
  for (const i of m.inputs) graph.message(11, valueInfo(i));
  for (const o of m.outputs) graph.message(12, valueInfo(o));
  const model = new Message()
    .int(1, ONNX_IR_VERSION)
    .string(2, m.producer.name)
    .string(3, m.producer.version)
    .string(6, m.docString)
    .message(7, graph)
    .message(8, new Message().string(1, '').int(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(m.metadata)) model.message(14, new Message().string(1, key).string(2, value));
  return model.finish();
}
