// Converts a TensorFlow.js LayersModel (model.json topology + weights.bin) into an ONNX graph, for the layers
// our autoencoders use: InputLayer, Dense, Conv2D, BatchNormalization, LeakyReLU, Activation, Dropout (a no-op at
// inference), Reshape and Flatten. tfjs images are NHWC and ONNX convolutions NCHW: a Reshape to an image
// transposes into NCHW, and a Flatten transposes back first, so the flattened order stays tfjs's (y, x, c).
import { encodeModel, type OnnxModel, type OnnxNode, type OnnxTensor } from './proto';

interface LayerJson {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name: string };
  inbound_nodes: unknown[];
}

interface ModelJson {
  modelTopology: { class_name?: string; config?: { layers?: LayerJson[]; output_layers?: unknown[] } };
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
}

/** A tensor as the converter tracks it: its ONNX name and tfjs shape (without the batch); images held NCHW. */
interface Value {
  name: string;
  shape: number[];
}

export class OnnxExportError extends Error {
  constructor(message: string) {
    super(`Cannot write encoder.onnx: ${message}`);
    this.name = 'OnnxExportError';
  }
}

const ACTIVATIONS: Record<string, string | null> = {
  linear: null,
  relu: 'Relu',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  selu: 'Selu',
  softplus: 'Softplus',
};

/** Splits weights.bin by the manifest: name -> float32 values and shape. */
export function readWeights(json: ModelJson, data: Uint8Array): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const group of json.weightsManifest) {
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new OnnxExportError(`weight ${w.name} is ${w.dtype}; only float32 weights are supported`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (offset + n * 4 > data.length) throw new OnnxExportError(`weights.bin is shorter than model.json says (${w.name})`);
      // Copy: the slice may be unaligned for a Float32Array view.
      const values = new Float32Array(n);
      new Uint8Array(values.buffer).set(data.subarray(offset, offset + n * 4));
      out.set(w.name, { shape: w.shape, values });
      offset += n * 4;
    }
  }
  if (offset !== data.length) throw new OnnxExportError(`weights.bin holds ${data.length} bytes but model.json describes ${offset}`);
  return out;
}

function inboundName(layer: LayerJson): string {
  const nodes = layer.inbound_nodes as unknown[][][];
  if (nodes.length !== 1 || nodes[0].length !== 1) throw new OnnxExportError(`layer ${layer.config.name} has ${nodes.length === 1 ? nodes[0].length : nodes.length} inputs; only chains of single-input layers are supported`);
  return String(nodes[0][0][0]);
}

/** TF "same" padding of one spatial axis: [before, after], and the output size. */
function samePadding(size: number, kernel: number, stride: number): { pads: [number, number]; out: number } {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { pads: [Math.floor(total / 2), total - Math.floor(total / 2)], out };
}

export interface ConvertOptions {
  inputName: string;
  outputName: string;
  graphName: string;
  docString: string;
  metadata: Record<string, string>;
  producerVersion: string;
}

/** Builds the ONNX model bytes from model.json (parsed) and weights.bin. */
export function layersModelToOnnx(json: ModelJson, weightData: Uint8Array, opts: ConvertOptions): Uint8Array {
  const layers = json.modelTopology.config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new OnnxExportError('model.json has no layers');
  const weights = readWeights(json, weightData);
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const values = new Map<string, Value>();
  let counter = 0;
  const fresh = (base: string): string => `${base}_${counter++}`;
  const weight = (layer: string, name: string): { shape: number[]; values: Float32Array } => {
    const w = weights.get(`${layer}/${name}`);
    if (!w) throw new OnnxExportError(`weight ${layer}/${name} is missing from weights.bin`);
    return w;
  };
  const init = (name: string, dims: number[], data: Float32Array | BigInt64Array): string => {
    initializers.push({ name, dims, data });
    return name;
  };
  const emit = (op: string, inputs: string[], base: string, attrs?: OnnxNode['attrs']): string => {
    const out = fresh(base);
    nodes.push({ op, inputs, outputs: [out], name: out, attrs });
    return out;
  };
  const activation = (x: string, act: unknown, base: string): string => {
    const name = typeof act === 'string' ? act : 'linear';
    if (!(name in ACTIVATIONS)) throw new OnnxExportError(`activation "${name}" is not supported`);
    const op = ACTIVATIONS[name];
    if (!op) return x;
    return emit(op, [x], `${base}_${name}`, op === 'Elu' ? { alpha: { float: 1 } } : undefined);
  };
  const toFlat = (v: Value, base: string): Value => {
    if (v.shape.length === 1) return v;
    // NCHW -> NHWC, then flatten: the element order of tfjs's Flatten.
    const nhwc = emit('Transpose', [v.name], `${base}_to_nhwc`, { perm: [0, 2, 3, 1] });
    return { name: emit('Flatten', [nhwc], `${base}_flatten`, { axis: 1 }), shape: [v.shape.reduce((a, b) => a * b, 1)] };
  };

  let inputDim = 0;
  let last: Value | null = null;
  for (const layer of layers) {
    const c = layer.config;
    const lname = c.name;
    if (layer.class_name === 'InputLayer') {
      const shape = (c.batch_input_shape ?? c.batchInputShape) as Array<number | null>;
      if (!Array.isArray(shape) || shape.length !== 2 || typeof shape[1] !== 'number') throw new OnnxExportError('the input must be a flat vector [batch, n]');
      inputDim = shape[1];
      last = { name: opts.inputName, shape: [inputDim] };
      values.set(lname, last);
      continue;
    }
    const input = values.get(inboundName(layer));
    if (!input) throw new OnnxExportError(`layer ${lname} reads a layer that was not converted`);
    let out: Value;
    switch (layer.class_name) {
      case 'Dense': {
        const x = toFlat(input, lname);
        const k = weight(lname, 'kernel');
        const units = k.shape[1];
        const inputs = [x.name, init(`${lname}.kernel`, k.shape, k.values)];
        if (c.use_bias) inputs.push(init(`${lname}.bias`, [units], weight(lname, 'bias').values));
        const y = emit('Gemm', inputs, lname);
        out = { name: activation(y, c.activation, lname), shape: [units] };
        break;
      }
      case 'Conv2D': {
        if (input.shape.length !== 3) throw new OnnxExportError(`Conv2D ${lname} needs an image input`);
        if (c.data_format !== undefined && c.data_format !== 'channels_last') throw new OnnxExportError(`Conv2D ${lname}: only channels_last is supported`);
        const dilation = (c.dilation_rate as number[] | undefined) ?? [1, 1];
        if (dilation.some((d) => d !== 1)) throw new OnnxExportError(`Conv2D ${lname}: dilation is not supported`);
        const [kh, kw] = c.kernel_size as number[];
        const [sh, sw] = c.strides as number[];
        const [h, w] = input.shape;
        const k = weight(lname, 'kernel'); // [kh, kw, in, out]
        const [, , cin, cout] = k.shape;
        const oihw = new Float32Array(k.values.length);
        for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
          oihw[((o * cin + i) * kh + y) * kw + x] = k.values[((y * kw + x) * cin + i) * cout + o];
        }
        let pads = [0, 0, 0, 0];
        let oh: number, ow: number;
        if (c.padding === 'same') {
          const ph = samePadding(h, kh, sh);
          const pw = samePadding(w, kw, sw);
          pads = [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]];
          oh = ph.out;
          ow = pw.out;
        } else if (c.padding === 'valid') {
          oh = Math.floor((h - kh) / sh) + 1;
          ow = Math.floor((w - kw) / sw) + 1;
        } else throw new OnnxExportError(`Conv2D ${lname}: padding "${String(c.padding)}" is not supported`);
        const inputs = [input.name, init(`${lname}.kernel`, [cout, cin, kh, kw], oihw)];
        if (c.use_bias) inputs.push(init(`${lname}.bias`, [cout], weight(lname, 'bias').values));
        const y = emit('Conv', inputs, lname, { kernel_shape: [kh, kw], strides: [sh, sw], pads, dilations: [1, 1] });
        out = { name: activation(y, c.activation, lname), shape: [oh, ow, cout] };
        break;
      }
      case 'BatchNormalization': {
        const axis = c.axis as number;
        if (axis !== -1 && axis !== input.shape.length) throw new OnnxExportError(`BatchNormalization ${lname}: only the channel axis is supported`);
        const n = input.shape[input.shape.length - 1];
        const ones = new Float32Array(n).fill(1);
        const gamma = c.scale === false ? ones : weight(lname, 'gamma').values;
        const beta = c.center === false ? new Float32Array(n) : weight(lname, 'beta').values;
        const inputs = [
          input.name,
          init(`${lname}.gamma`, [n], gamma),
          init(`${lname}.beta`, [n], beta),
          init(`${lname}.moving_mean`, [n], weight(lname, 'moving_mean').values),
          init(`${lname}.moving_variance`, [n], weight(lname, 'moving_variance').values),
        ];
        out = { name: emit('BatchNormalization', inputs, lname, { epsilon: { float: Number(c.epsilon ?? 1e-3) } }), shape: input.shape };
        break;
      }
      case 'LeakyReLU':
        out = { name: emit('LeakyRelu', [input.name], lname, { alpha: { float: Number(c.alpha ?? 0.3) } }), shape: input.shape };
        break;
      case 'Activation':
        out = { name: activation(input.name, c.activation, lname), shape: input.shape };
        break;
      case 'Dropout':
        out = input; // inference: the identity
        break;
      case 'Flatten':
        out = toFlat(input, lname);
        break;
      case 'Reshape': {
        const target = c.target_shape as number[];
        const x = toFlat(input, lname);
        if (target.length === 1) {
          out = { name: emit('Reshape', [x.name, init(fresh(`${lname}.shape`), [2], BigInt64Array.from([-1n, BigInt(target[0])]))], lname), shape: target };
        } else if (target.length === 3) {
          const nhwc = emit('Reshape', [x.name, init(fresh(`${lname}.shape`), [4], BigInt64Array.from([-1, ...target].map(BigInt)))], lname);
          out = { name: emit('Transpose', [nhwc], `${lname}_to_nchw`, { perm: [0, 3, 1, 2] }), shape: target };
        } else throw new OnnxExportError(`Reshape ${lname}: target shape [${target.join(', ')}] is not supported`);
        break;
      }
      default:
        throw new OnnxExportError(`layer type ${layer.class_name} (${lname}) is not supported`);
    }
    values.set(lname, out);
    last = out;
  }
  if (!last || last.shape.length !== 1) throw new OnnxExportError('the model must end in a flat vector');
  // Name the graph output: an Identity keeps the name stable whatever the last layer was.
  nodes.push({ op: 'Identity', inputs: [last.name], outputs: [opts.outputName], name: opts.outputName });
  const model: OnnxModel = {
    graphName: opts.graphName,
    nodes,
    initializers,
    inputs: [{ name: opts.inputName, dims: ['batch', inputDim] }],
    outputs: [{ name: opts.outputName, dims: ['batch', last.shape[0]] }],
    producer: { name: 'latent-lab', version: opts.producerVersion },
    docString: opts.docString,
    metadata: opts.metadata,
  };
  return encodeModel(model);
}
