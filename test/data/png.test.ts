import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeRawWithSharp, ImageDecoder } from '../../src/core/data/decode';
import { decodePng, encodePng, readPngHeader } from '../../src/core/data/png';
import { bytes, pngChunk, pngFromRows, smooth, withChunk } from './fixtures';

const S = 16;

/** sharp's decode in the file's own colour model (it would otherwise convert grey to sRGB), ICC profile ignored. */
async function sharpRaw(buf: Buffer): Promise<{ data: Buffer; channels: number }> {
  const meta = await sharp(buf).metadata();
  if (meta.channels === 2) {
    // b-w output drops alpha: read RGBA and keep grey (= R) and alpha.
    const rgba = await sharp(buf, { ignoreIcc: true }).raw().toBuffer();
    const ga = Buffer.alloc(rgba.length / 2);
    for (let i = 0; i < ga.length / 2; i++) {
      ga[i * 2] = rgba[i * 4];
      ga[i * 2 + 1] = rgba[i * 4 + 3];
    }
    return { data: ga, channels: 2 };
  }
  const img = sharp(buf, { ignoreIcc: true });
  if (meta.channels === 1) img.toColourspace('b-w');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels };
}

/** PNG variants at S x S that the fast path must accept. */
async function fastCases(): Promise<[string, Buffer][]> {
  const palette = bytes(256 * 3, 11);
  const grey = bytes(S * S, 3);
  const pack = (bits: number): Uint8Array => {
    const stride = Math.ceil((S * bits) / 8);
    const out = new Uint8Array(stride * S);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const v = grey[y * S + x] & ((1 << bits) - 1);
        out[y * stride + ((x * bits) >> 3)] |= v << (8 - bits - ((x * bits) & 7));
      }
    }
    return out;
  };
  const gama = Buffer.alloc(4);
  gama.writeUInt32BE(45455);
  const chrm = Buffer.alloc(32);
  [31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000].forEach((v, i) => chrm.writeUInt32BE(v, i * 4));
  const rgb = bytes(S * S * 3, 5);
  return [
    ['grey', encodePng(grey, S, S, 1)],
    ['grey+alpha', encodePng(bytes(S * S * 2, 9), S, S, 2)],
    ['rgb', encodePng(rgb, S, S, 3)],
    ['rgba', encodePng(bytes(S * S * 4, 7), S, S, 4)],
    ['rgb gAMA cHRM', withChunk(withChunk(encodePng(rgb, S, S, 3), pngChunk('gAMA', gama)), pngChunk('cHRM', chrm))],
    ['palette 8-bit', pngFromRows(S, S, 8, 3, grey, [pngChunk('PLTE', palette)])],
    ['palette tRNS', pngFromRows(S, S, 8, 3, grey, [pngChunk('PLTE', palette), pngChunk('tRNS', bytes(200, 13))])],
    ['palette 4-bit', pngFromRows(S, S, 4, 3, pack(4), [pngChunk('PLTE', palette.subarray(0, 48))])],
    ['palette 2-bit', pngFromRows(S, S, 2, 3, pack(2), [pngChunk('PLTE', palette.subarray(0, 12))])],
    ['palette 1-bit', pngFromRows(S, S, 1, 3, pack(1), [pngChunk('PLTE', palette.subarray(0, 6))])],
    ['grey tRNS', pngFromRows(S, S, 8, 0, grey, [pngChunk('tRNS', Buffer.from([0, grey[5]]))])],
    ['rgb tRNS', pngFromRows(S, S, 8, 2, rgb, [pngChunk('tRNS', Buffer.from([0, rgb[0], 0, rgb[1], 0, rgb[2]]))])],
    // Written by libspng with adaptive filtering: exercises Sub, Up, Average and Paeth rows.
    ['sharp grey filtered', await sharp(smooth(S, S, 1), { raw: { width: S, height: S, channels: 1 } }).png({ adaptiveFiltering: true }).toBuffer()],
    ['sharp rgb filtered', await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).png({ adaptiveFiltering: true }).toBuffer()],
    ['sharp rgba filtered', await sharp(smooth(S, S, 4), { raw: { width: S, height: S, channels: 4 } }).png({ adaptiveFiltering: true }).toBuffer()],
    ['sharp palette', await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).png({ palette: true, colours: 12 }).toBuffer()],
    // ICC profiles are ignored on both paths: the samples are used as stored.
    ['rgb iCCP (Display P3)', await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).withIccProfile('p3').png().toBuffer()],
    ['non-square rgba', encodePng(bytes(S * 9 * 4, 17), S, 9, 4)],
  ];
}

describe('encodePng / decodePng', () => {
  it('round-trips 1-4 channels and sharp reads the same pixels', async () => {
    for (const ch of [1, 2, 3, 4] as const) {
      const px = bytes(13 * 7 * ch, ch);
      const png = encodePng(px, 13, 7, ch);
      expect(readPngHeader(png)).toMatchObject({ width: 13, height: 7, bitDepth: 8, interlaced: false });
      const d = decodePng(png);
      expect(d?.channels).toBe(ch);
      expect(Buffer.from(d?.data ?? [])).toEqual(Buffer.from(px));
      const s = await sharpRaw(png);
      expect(s.channels).toBe(ch);
      expect(s.data).toEqual(Buffer.from(px));
    }
    expect(() => encodePng(new Uint8Array(5), 2, 2, 1)).toThrow();
  });

  it('decodes filtered and palette PNGs written by libspng exactly', async () => {
    for (const [name, buf] of await fastCases()) {
      const d = decodePng(buf);
      expect(d, name).not.toBeNull();
      const s = await sharpRaw(buf);
      expect(s.channels, name).toBe(d?.channels);
      expect(Buffer.from(d?.data ?? []).equals(s.data), name).toBe(true);
    }
  });

  it('declines what it does not fully understand (sharp decides)', async () => {
    const grey = encodePng(bytes(S * S, 1), S, S, 1);
    const badCrc = Buffer.from(grey);
    badCrc[40] ^= 0xff;
    const cases: [string, Buffer][] = [
      ['16-bit', await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).toColourspace('rgb16').png().toBuffer()],
      ['interlaced', await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).png({ progressive: true }).toBuffer()],
      ['eXIf', withChunk(grey, pngChunk('eXIf', bytes(20)))],
      ['unknown critical chunk', withChunk(grey, pngChunk('ABCD', bytes(4)))],
      ['bad CRC', badCrc],
      ['truncated', grey.subarray(0, grey.length - 20)],
      ['trailing bytes', Buffer.concat([grey, Buffer.from([1, 2, 3])])],
      ['random bytes', bytes(300, 4)],
      ['grey 4-bit', pngFromRows(S, S, 4, 0, new Uint8Array(S * 8))],
    ];
    for (const [name, buf] of cases) expect(decodePng(buf), name).toBeNull();
  });
});

describe('PNG fast path', () => {
  it('gives exactly the pixels of the sharp path, at the image size and resized, grey and RGB output', async () => {
    for (const [name, buf] of await fastCases()) {
      for (const size of [S, 11, 23]) {
        for (const channels of [1, 3] as const) {
          const dec = new ImageDecoder({ size, channels });
          const fast = await dec.decode(buf);
          expect(dec.stats, name).toEqual({ fast: 1, sharp: 0 });
          const slow = await new ImageDecoder({ size, channels, fastPath: false }).decode(buf);
          expect(Buffer.from(fast).equals(Buffer.from(slow)), `${name} -> ${size}x${size}x${channels}`).toBe(true);
        }
      }
    }
  });

  it('reads samples as Pillow does: 16-bit keeps the high byte, grey comes back with equal channels', async () => {
    const w = 256;
    const ramp = Uint16Array.from({ length: w * w }, (_, i) => i);
    const g16 = await sharp(ramp, { raw: { width: w, height: w, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    const img = await decodeRawWithSharp(g16);
    expect(img.width).toBe(w);
    let bad = 0;
    for (let i = 0; i < w * w; i++) {
      for (let c = 0; c < img.channels; c++) if (img.data[i * img.channels + c] !== i >> 8) bad++;
    }
    expect(bad).toBe(0);
  });

  it('leaves non-plain PNGs to sharp', async () => {
    const dec = new ImageDecoder({ size: S, channels: 1 });
    await dec.decode(encodePng(bytes(20 * 20, 1), 20, 20, 1));
    expect(dec.stats).toEqual({ fast: 1, sharp: 0 });
    await dec.decode(await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).png({ progressive: true }).toBuffer());
    await dec.decode(await sharp(smooth(S, 8, 3), { raw: { width: S, height: 8, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer());
    expect(dec.stats).toEqual({ fast: 1, sharp: 2 });
    const off = new ImageDecoder({ size: S, channels: 1, fastPath: false });
    await off.decode(encodePng(bytes(S * S, 1), S, S, 1));
    expect(off.stats).toEqual({ fast: 0, sharp: 1 });
  });
});
