// Helpers that build test images and PNG byte streams.
import zlib from 'node:zlib';

/** Deterministic pseudo-random bytes (LCG), so fixtures are identical on every run. */
export function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

/** Smooth gradients plus noise: makes PNG encoders use all filter types. */
export function smooth(w: number, h: number, channels: number, seed = 1): Buffer {
  const noise = bytes(w * h * channels, seed);
  const out = Buffer.alloc(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        const i = (y * w + x) * channels + c;
        out[i] = (x * 7 + y * 3 + c * 50 + (noise[i] & 7)) & 255;
      }
    }
  }
  return out;
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG from packed rows (filter byte 0 added here) and extra chunks placed before IDAT. */
export function pngFromRows(
  w: number, h: number, bitDepth: number, colorType: number, packed: Uint8Array, extra: Buffer[] = [], interlace = 0,
): Buffer {
  const stride = packed.length / h;
  const rows = Buffer.alloc((stride + 1) * h);
  for (let y = 0; y < h; y++) rows.set(packed.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  ihdr[12] = interlace;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', zlib.deflateSync(rows)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** Inserts a chunk right after IHDR. */
export function withChunk(png: Buffer, chunk: Buffer): Buffer {
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}
