// NumPy's .npy format, version 1.0: the magic string, a little-endian uint16 header length, a Python-literal
// header dict padded with spaces to a multiple of 64 bytes and ending in '\n', then the C-order data.
// numpy.load opens these without allow_pickle.

const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export type NpyArray = { dtype: '<f4'; data: Float32Array; shape: number[] } | { dtype: '<i4'; data: Int32Array; shape: number[] };

function shapeLiteral(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function encodeNpy(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (count !== a.data.length) throw new Error(`encodeNpy: shape (${a.shape.join(', ')}) needs ${count} values, got ${a.data.length}`);
  let header = `{'descr': '${a.dtype}', 'fortran_order': False, 'shape': ${shapeLiteral(a.shape)}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(MAGIC.length + 4 + headerBytes.length + a.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), 10 + headerBytes.length);
  return out;
}

/** Reads what encodeNpy writes (version 1.0 or 2.0 headers, little-endian float32 / int32, C order). */
export function decodeNpy(buf: Uint8Array): NpyArray {
  if (buf.length < 10 || !MAGIC.every((b, i) => buf[i] === b)) throw new Error('not a .npy file (bad magic string)');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const major = buf[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(buf.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`unreadable .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new Error('Fortran-order .npy files are not supported');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((x, y) => x * y, 1);
  const body = buf.slice(start + headerLen);
  if (body.byteLength !== count * 4) throw new Error(`.npy data holds ${body.byteLength} bytes, the header says ${count} values of 4 bytes`);
  if (descr === '<f4') return { dtype: descr, shape, data: new Float32Array(body.buffer, body.byteOffset, count) };
  if (descr === '<i4') return { dtype: descr, shape, data: new Int32Array(body.buffer, body.byteOffset, count) };
  throw new Error(`.npy dtype ${descr} is not supported (float32 '<f4' and int32 '<i4' are)`);
}
