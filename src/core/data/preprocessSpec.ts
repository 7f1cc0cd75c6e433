// The model input written out for the manifest: every step from file to tensor, precise enough that a client in
// another language reproduces the pixels exactly (test/export checks one written only from this text).
// decode.ts and preprocess.ts implement it; change them and this together, with PREPROCESS_ID.
import sharp from 'sharp';
import type { Channels } from '../../shared/dto';
import { SUPPORTED_EXTENSIONS } from './decode';
import { PREPROCESS_ID } from './preprocess';

export interface InputSpec {
  pipeline: string;
  summary: string;
  width: number;
  height: number;
  channels: Channels;
  colour: 'grey' | 'rgb';
  decode: { decoder: string; extensions: string[]; steps: string[]; jpeg: string; cmyk: string };
  alpha: { background: [number, number, number]; formula: string };
  colourConversion: { formula: string };
  resize: { fit: 'cover'; position: 'centre'; kernel: 'area'; steps: string[] };
  scaling: { formula: string; dtype: 'float32'; range: [number, number] };
  layout: 'NHWC';
  tensorShape: number[];
  flatten: string;
}

function decoderVersions(): string {
  const v = sharp.versions as Record<string, string | undefined>;
  const libs = ['png', 'mozjpeg', 'webp', 'tiff', 'cgif', 'heif'].filter((k) => v[k]).map((k) => `${k === 'mozjpeg' ? 'libjpeg-turbo (mozjpeg)' : `lib${k}`} ${v[k]}`);
  return `sharp ${v.sharp ?? '?'} on libvips ${v.vips ?? '?'} (${libs.join(', ')})`;
}

export function inputSpec(size: number, channels: Channels): InputSpec {
  const S = size;
  return {
    pipeline: PREPROCESS_ID,
    summary:
      `Decode to 8-bit samples (EXIF orientation applied), flatten alpha onto black, convert to ${channels === 1 ? 'grey (BT.601 luma)' : 'RGB'}, ` +
      `crop the centred square and area-average it to ${S}x${S}, divide by 255; all integer arithmetic until the division.`,
    width: S,
    height: S,
    channels,
    colour: channels === 1 ? 'grey' : 'rgb',
    decode: {
      decoder: decoderVersions(),
      extensions: SUPPORTED_EXTENSIONS.map((e) => `.${e}`),
      steps: [
        'Read the first frame (page) of the file.',
        "Apply the EXIF orientation tag (2-8: mirror and/or rotate to upright) first, as Pillow's ImageOps.exif_transpose does; a PNG eXIf chunk counts.",
        'Expand palette images to RGB; tRNS transparency (palette entries, or a grey or RGB key colour) becomes an alpha channel.',
        'Scale grey samples of 1, 2 or 4 bits to 8 bits: v * 255 / (2^bits - 1).',
        'Reduce 16-bit samples (colour and alpha) to 8 bits by keeping the high byte: v8 = floor(v16 / 256). Pillow does the same for 16-bit RGB(A) PNGs; its 16-bit grey mode ("I;16") keeps all 16 bits, so shift those yourself.',
        'Ignore any embedded ICC profile: the stored samples are used as they are, with no colour management (as Pillow does by default).',
        'Result: W x H pixels of grey, grey+alpha, RGB or RGBA 8-bit samples, W and H after orientation.',
      ],
      jpeg: "JPEG samples are libjpeg-turbo's default decode (accurate integer IDCT 'islow', fancy upsampling), as Pillow's; a different JPEG decoder can differ by a few levels.",
      cmyk: 'CMYK JPEG and TIFF files are converted to RGB by libvips with its built-in CMYK profile; other software may differ.',
    },
    alpha: {
      background: [0, 0, 0],
      formula: 'With an alpha channel, each colour sample becomes c = floor((c * a + 127) / 255) (c and a in 0-255; that is round(c * a / 255), never a tie because 255 is odd), i.e. composited over black; then alpha is dropped. Without alpha nothing changes.',
    },
    colourConversion: {
      formula:
        channels === 1
          ? 'RGB to grey: g = floor((299 * R + 587 * G + 114 * B + 500) / 1000), integers (ITU-R BT.601 luma on the stored values, no linearisation). Grey stays grey.'
          : 'Grey to RGB: R = G = B = g. RGB stays RGB.',
    },
    resize: {
      fit: 'cover',
      position: 'centre',
      kernel: 'area',
      steps: [
        `Let W x H be the image after the steps above, S = ${S} and side = min(W, H). The centred side x side square is used: the longer axis loses (W - side) / 2 (or (H - side) / 2) pixels at each end, possibly half a pixel.`,
        'Along x, in units of 1 / (2 S) source pixel: source column x covers [2 S x, 2 S (x + 1)); output column j covers [S (W - side) + 2 side j, S (W - side) + 2 side (j + 1)). w_x(j, x) is the length of their overlap, an integer (0 for most x). The same along y with H and rows: w_y(i, y).',
        'out(i, j, c) = floor((sum over y and x of w_y(i, y) * w_x(j, x) * v(y, x, c) + 2 side^2) / (4 side^2)), computed in integers (exact in int64 and in a double): the exact area average, halves rounded up. It is a uint8.',
        'For W = H = S this is the identity; when the image is smaller than S it repeats pixels, averaging only at the seams.',
      ],
    },
    scaling: { formula: 'x = out / 255 as float32', dtype: 'float32', range: [0, 1] },
    layout: 'NHWC',
    tensorShape: [-1, S, S, channels],
    flatten: `The encoder takes each image as one flat row of ${S * S * channels} values, row-major over (y, x, c): index = (y * ${S} + x) * ${channels} + c. -1 in a shape means any number of images.`,
  };
}
