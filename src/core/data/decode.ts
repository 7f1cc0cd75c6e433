// Turns one image file's bytes into size x size uint8 pixels. Two paths give the same pixels:
// - a fast path for the common case (a plain PNG already at the target size): our own PNG decoder, no sharp;
// - sharp for everything else (JPEG, WebP, resizing, EXIF orientation, ICC profiles, 16-bit, interlaced ...).
import sharp from 'sharp';
import type { Channels } from '../../shared/dto';
import { grayLut, needsGrayLut, toOutput } from './convert';
import { decodePng, readPngHeader } from './png';

/**
 * Extension -> sharp input format. Checked against sharp.format at load so we never list what the installed
 * sharp cannot read (the prebuilt sharp 0.35 has no BMP, HEIC or JPEG 2000 loader). SVG is left out on
 * purpose: it is a drawing, not a photo dataset, and rendering it is slow.
 */
const EXTENSION_FORMATS: Record<string, string> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  tif: 'tiff',
  tiff: 'tiff',
  avif: 'heif',
};

function sharpCanRead(format: string): boolean {
  const info = (sharp.format as unknown as Record<string, { input?: { buffer?: boolean } } | undefined>)[format];
  return info?.input?.buffer === true;
}

/** Lower-case extensions (no dot) that load as images, e.g. ['avif', 'gif', 'jpe', 'jpeg', ...]. */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSION_FORMATS)
  .filter((ext) => sharpCanRead(EXTENSION_FORMATS[ext]))
  .sort();

const SUPPORTED = new Set(SUPPORTED_EXTENSIONS);

export function isSupportedExtension(ext: string): boolean {
  return SUPPORTED.has(ext.toLowerCase());
}

/** Identifies decoder behaviour for the cache key: a different sharp/libvips may give different pixels. */
export const DECODER_ID = `sharp ${sharp.versions.sharp ?? '?'} vips ${sharp.versions.vips}; cover-centre; flatten-black`;

export interface DecoderOptions {
  size: number;
  channels: Channels;
  /** Use the PNG fast path where it applies (default true). Off only to compare against sharp. */
  fastPath?: boolean;
}

/**
 * Decodes with sharp. Fit is 'cover' with a centre crop: the image fills the square without distortion and
 * without padding bars (which an autoencoder would spend capacity reconstructing); the edges of non-square
 * images are lost. Alpha is flattened onto black, matching the dark background of MNIST-style data and the
 * zero padding a network sees. failOn 'error' rejects corrupt and truncated files but tolerates mere
 * warnings (common in scraped JPEGs).
 */
export async function decodeWithSharp(input: Buffer, size: number, channels: Channels): Promise<Uint8Array> {
  disableSharpCache();
  const { data, info } = await sharp(input, { failOn: 'error' })
    .autoOrient()
    .resize(size, size, { fit: 'cover', position: 'centre' })
    .flatten({ background: { r: 0, g: 0, b: 0 } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== channels) {
    throw new Error(`unexpected decode result ${info.width}x${info.height}x${info.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

let sharpCacheOff = false;
/**
 * libvips' operation cache pays off only when identical operations repeat, which an ingest never does; off,
 * the sharp path is ~10% faster and holds no cached buffers. Process-wide, but it never changes results.
 */
function disableSharpCache(): void {
  if (sharpCacheOff) return;
  sharp.cache(false);
  sharpCacheOff = true;
}

export class ImageDecoder {
  /** How many images took each path, for benchmarks and tests. */
  readonly stats = { fast: 0, sharp: 0 };
  private grayLutReady: Uint8Array | null = null;

  constructor(private readonly opts: DecoderOptions) {}

  /**
   * Returns size*size*channels bytes: synchronously when the fast path applies, otherwise a promise (sharp,
   * or the one-off grey table). The promise rejects with sharp's reason when the file cannot be decoded.
   */
  decode(buf: Buffer): Uint8Array | Promise<Uint8Array> {
    const { size, channels } = this.opts;
    if (this.opts.fastPath !== false) {
      const header = readPngHeader(buf);
      // Only images already at the target size: any resize goes to sharp so pixels never depend on the path.
      if (header && header.width === size && header.height === size) {
        const img = decodePng(buf);
        if (img) {
          this.stats.fast++;
          if (!needsGrayLut(img, channels)) return toOutput(img, channels, null);
          if (this.grayLutReady) return toOutput(img, channels, this.grayLutReady);
          return grayLut().then((lut) => {
            this.grayLutReady = lut;
            return toOutput(img, channels, lut);
          });
        }
      }
    }
    this.stats.sharp++;
    return decodeWithSharp(buf, size, channels);
  }
}

/** Sharp's error messages are terse and technical; say what happened in plain words and keep its reason. */
export function describeDecodeError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return 'not a readable image (the content does not match any supported format)';
  const detail = msg.replace(/\s+/g, ' ').trim().replace(/[:\s]+$/, '');
  if (/corrupt header|truncated|premature end|read error/i.test(detail)) return `could not decode, the file is damaged or incomplete: ${detail}`;
  return `could not decode: ${detail}`;
}
