// Pixel conversions of the PNG fast path. Each one reproduces what the sharp path (flatten on black, then
// toColourspace) does to the same pixels, so a dataset decodes identically whichever path a file takes.
import sharp from 'sharp';
import type { DecodedPng } from './png';

/** True when a decoded image needs the sRGB -> grey table (colour source, grey output). */
export function needsGrayLut(img: DecodedPng, channels: 1 | 3): boolean {
  return channels === 1 && img.channels >= 3;
}

/**
 * Flattens alpha onto black and converts to `channels` (1 grey or 3 RGB), uint8 row-major.
 * libvips flattens with floor((v * a + bg * (255 - a)) / 255); with a black background that is floor(v * a / 255).
 * Colour to grey goes through `grayLut` (index r << 16 | g << 8 | b), built by sharp itself: libvips converts in
 * linear light with float rounding we cannot reproduce bit for bit in JavaScript.
 */
export function toOutput(img: DecodedPng, channels: 1 | 3, grayLut: Uint8Array | null): Uint8Array {
  const n = img.width * img.height;
  const src = img.data;
  const out = new Uint8Array(n * channels);
  const flat = (v: number, a: number): number => ((v * a) / 255) | 0;
  switch (img.channels) {
    case 1:
      if (channels === 1) out.set(src);
      else for (let i = 0; i < n; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = src[i];
      break;
    case 2:
      for (let i = 0; i < n; i++) {
        const g = flat(src[i * 2], src[i * 2 + 1]);
        if (channels === 1) out[i] = g;
        else out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = g;
      }
      break;
    case 3:
    case 4: {
      const step = img.channels;
      const alpha = step === 4;
      if (channels === 1 && !grayLut) throw new Error('toOutput: colour to grey needs the grey table');
      for (let i = 0; i < n; i++) {
        let r = src[i * step];
        let g = src[i * step + 1];
        let b = src[i * step + 2];
        if (alpha) {
          const a = src[i * step + 3];
          r = flat(r, a);
          g = flat(g, a);
          b = flat(b, a);
        }
        if (channels === 1) out[i] = (grayLut as Uint8Array)[(r << 16) | (g << 8) | b];
        else {
          out[i * 3] = r;
          out[i * 3 + 1] = g;
          out[i * 3 + 2] = b;
        }
      }
      break;
    }
  }
  return out;
}

let grayLutOnce: Promise<Uint8Array> | null = null;

/**
 * sharp's sRGB -> 'b-w' result for every 24-bit colour (16 MB). Built in 16 slices of 1 M pixels so the
 * transient memory stays small; about 0.2 s, paid once per process and only when colour PNGs are read as grey.
 */
export function grayLut(): Promise<Uint8Array> {
  grayLutOnce ??= buildGrayLut().catch((err: unknown) => {
    grayLutOnce = null; // let a later load try again
    throw err;
  });
  return grayLutOnce;
}

async function buildGrayLut(): Promise<Uint8Array> {
  const lut = new Uint8Array(1 << 24);
  const side = 1024; // one slice: 16 values of r x all (g, b)
  const rgb = Buffer.alloc(side * side * 3);
  for (let slice = 0; slice < 16; slice++) {
    for (let i = 0; i < side * side; i++) {
      const idx = (slice << 20) | i;
      rgb[i * 3] = idx >>> 16;
      rgb[i * 3 + 1] = (idx >>> 8) & 255;
      rgb[i * 3 + 2] = idx & 255;
    }
    const grey = await sharp(rgb, { raw: { width: side, height: side, channels: 3 } })
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    if (grey.length !== side * side) throw new Error('buildGrayLut: unexpected output size from sharp');
    lut.set(grey, slice << 20);
  }
  return lut;
}
