// A minimal PNG encoder and a strict decoder for the common case. The decoder exists for speed (sharp pays a
// large fixed cost per small image): it returns null for anything it does not fully understand, and the caller
// then asks sharp, which stays the authority on odd or broken files.
import zlib from 'node:zlib';
import type { RawImage } from './preprocess';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let crcTable: Uint32Array | null = null;
function crc32Js(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// zlib.crc32 is native but only exists from Node 20.15 / 22.2.
const crc32: (data: Uint8Array) => number = typeof zlib.crc32 === 'function' ? (d) => zlib.crc32(d) : crc32Js;

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes 8-bit gray (1), gray+alpha (2), RGB (3) or RGBA (4) pixels, row-major, as a PNG. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: bad size ${width}x${height}`);
  }
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new Error(`encodePng: expected ${stride * height} bytes, got ${pixels.length}`);
  }
  // Filter type 0 (None) on every row: simplest, and small images gain little from smarter filters.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = [0, 0, 4, 2, 6][channels];
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
}

/** Reads IHDR without decoding; null when the buffer does not start like a PNG. */
export function readPngHeader(buf: Uint8Array): PngHeader | null {
  if (buf.length < 33 || !SIGNATURE.equals(buf.subarray(0, 8))) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(buf[12], buf[13], buf[14], buf[15]) !== 'IHDR') return null;
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: buf[24],
    colorType: buf[25],
    interlaced: buf[28] !== 0,
  };
}

/** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (palette and tRNS are expanded). */
export type DecodedPng = RawImage;

// Ancillary chunks that do not change sharp's samples (gAMA and cHRM included: libvips ignores them; iCCP too,
// since we decode with ignoreIcc; checked in the tests). Anything else (cICP, eXIf ...) may make sharp convert or
// rotate: those files go to sharp.
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs', 'sRGB', 'gAMA', 'cHRM', 'iCCP', 'bKGD', 'sBIT', 'hIST', 'sPLT']);
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a non-interlaced 8-bit gray / gray+alpha / RGB / RGBA PNG, or a palette PNG of 1-8 bits.
 * Returns null for anything else, for any damage (bad CRC, short data), or for chunks that could change pixels.
 */
export function decodePng(buf: Uint8Array): DecodedPng | null {
  const h = readPngHeader(buf);
  if (!h || h.interlaced || h.width === 0 || h.height === 0) return null;
  const { width, height, bitDepth, colorType } = h;
  const palette = colorType === 3;
  if (!(colorType in SAMPLES) || (palette ? ![1, 2, 4, 8].includes(bitDepth) : bitDepth !== 8)) return null;
  if (buf[26] !== 0 || buf[27] !== 0) return null; // compression and filter method must be 0

  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const idat: Uint8Array[] = [];
  let plte: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  let pos = 8;
  let ended = false;
  while (pos + 12 <= buf.length) {
    const len = view.getUint32(pos);
    if (len > buf.length - pos - 12) return null;
    const type = String.fromCharCode(buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7]);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (crc32(buf.subarray(pos + 4, pos + 8 + len)) !== view.getUint32(pos + 8 + len)) return null;
    pos += 12 + len;
    if (type === 'IHDR') continue;
    if (type === 'IDAT') idat.push(body);
    else if (type === 'PLTE') plte = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if (!HARMLESS.has(type)) return null;
  }
  if (!ended || pos !== buf.length || idat.length === 0) return null;
  if (palette && (!plte || plte.length % 3 !== 0 || plte.length === 0)) return null;

  const bpp = Math.max(1, (SAMPLES[colorType] * bitDepth) >> 3); // bytes per complete pixel, for filters
  const stride = Math.ceil((width * SAMPLES[colorType] * bitDepth) / 8);
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  } catch {
    return null;
  }
  if (raw.length !== (stride + 1) * height) return null;
  const rows = unfilter(raw, stride, height, bpp);
  if (!rows) return null;
  return palette ? expandPalette(rows, width, height, bitDepth, stride, plte as Uint8Array, trns) : expandTrns(rows, h, trns);
}

/** Undoes the per-row PNG filters in place-free fashion; null on an unknown filter byte. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array | null {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const o = y * stride;
    const up = o - stride; // previous output row (only read when y > 0)
    switch (f) {
      case 0:
        out.set(raw.subarray(src, src + stride), o);
        break;
      case 1:
        for (let x = 0; x < stride; x++) out[o + x] = raw[src + x] + (x >= bpp ? out[o + x - bpp] : 0);
        break;
      case 2:
        for (let x = 0; x < stride; x++) out[o + x] = raw[src + x] + (y > 0 ? out[up + x] : 0);
        break;
      case 3:
        for (let x = 0; x < stride; x++) {
          const a = x >= bpp ? out[o + x - bpp] : 0;
          const b = y > 0 ? out[up + x] : 0;
          out[o + x] = raw[src + x] + ((a + b) >> 1);
        }
        break;
      case 4:
        for (let x = 0; x < stride; x++) {
          const a = x >= bpp ? out[o + x - bpp] : 0;
          const b = y > 0 ? out[up + x] : 0;
          const c = x >= bpp && y > 0 ? out[up + x - bpp] : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          out[o + x] = raw[src + x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        return null;
    }
  }
  return out;
}

function expandPalette(
  rows: Uint8Array, width: number, height: number, bitDepth: number, stride: number,
  plte: Uint8Array, trns: Uint8Array | null,
): DecodedPng | null {
  const entries = plte.length / 3;
  if (trns && trns.length > entries) return null;
  const alpha = trns !== null && trns.some((a) => a !== 255);
  const channels = alpha ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  const perByte = 8 / bitDepth;
  const mask = (1 << bitDepth) - 1;
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = rows[y * stride + Math.floor(x / perByte)];
      const idx = bitDepth === 8 ? byte : (byte >> ((perByte - 1 - (x % perByte)) * bitDepth)) & mask;
      if (idx >= entries) return null; // libspng treats this as an error; let sharp say so
      data[o++] = plte[idx * 3];
      data[o++] = plte[idx * 3 + 1];
      data[o++] = plte[idx * 3 + 2];
      if (alpha) data[o++] = trns && idx < trns.length ? trns[idx] : 255;
    }
  }
  return { width, height, channels, data };
}

/** Gray and RGB images may carry one fully transparent colour in tRNS: turn it into an alpha channel. */
function expandTrns(rows: Uint8Array, h: PngHeader, trns: Uint8Array | null): DecodedPng | null {
  const base = SAMPLES[h.colorType] as 1 | 2 | 3 | 4;
  if (!trns) return { width: h.width, height: h.height, channels: base, data: rows };
  if (h.colorType === 0 && trns.length === 2) {
    const key = (trns[0] << 8) | trns[1];
    const n = h.width * h.height;
    const data = new Uint8Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[i * 2] = rows[i];
      data[i * 2 + 1] = rows[i] === key ? 0 : 255;
    }
    return { width: h.width, height: h.height, channels: 2, data };
  }
  if (h.colorType === 2 && trns.length === 6) {
    const kr = (trns[0] << 8) | trns[1];
    const kg = (trns[2] << 8) | trns[3];
    const kb = (trns[4] << 8) | trns[5];
    const n = h.width * h.height;
    const data = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) {
      const r = rows[i * 3], g = rows[i * 3 + 1], b = rows[i * 3 + 2];
      data.set([r, g, b, r === kr && g === kg && b === kb ? 0 : 255], i * 4);
    }
    return { width: h.width, height: h.height, channels: 4, data };
  }
  return null; // tRNS on an alpha type, or malformed: not ours to judge
}
