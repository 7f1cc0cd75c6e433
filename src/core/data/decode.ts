// Turns one image file's bytes into full-resolution 8-bit samples, then into size x size model pixels through
// preprocess.ts. Two decoders give the same samples:
// - our own PNG decoder for plain PNGs (the common case, ~10x faster than sharp for small images);
// - sharp for everything else (JPEG, WebP, GIF, TIFF, AVIF, 16-bit and interlaced PNG, EXIF orientation ...).
import sharp from 'sharp';
import type { Channels } from '../../shared/dto';
import { decodePng } from './png';
import { preprocess, PREPROCESS_ID, type RawImage } from './preprocess';
import { note, type CodedText } from '../../shared/errors';

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
export const DECODER_ID = `sharp ${sharp.versions.sharp ?? '?'} vips ${sharp.versions.vips}; ${PREPROCESS_ID}`;

export interface DecoderOptions {
  size: number;
  channels: Channels;
  /** Decode plain PNGs with our own decoder (default true). Off only to compare against sharp. */
  fastPath?: boolean;
}

/**
 * Decodes with sharp to full-resolution 8-bit samples and nothing more: EXIF orientation applied, the first
 * frame, palette expanded, an ICC profile ignored, 16-bit samples reduced to their high byte (libvips' shift,
 * as Pillow does), grey given as RGB with equal channels. Everything after that is ours (preprocess.ts), so it
 * can be specified exactly. failOn 'error' rejects corrupt and truncated files but tolerates mere warnings
 * (common in scraped JPEGs).
 */
export async function decodeRawWithSharp(input: Buffer): Promise<RawImage> {
  disableSharpCache();
  const { data, info } = await sharp(input, { failOn: 'error', ignoreIcc: true })
    .autoOrient()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  if (channels < 1 || channels > 4 || data.length !== info.width * info.height * channels) {
    throw new Error(`unexpected decode result ${info.width}x${info.height}x${channels} in ${data.length} bytes`);
  }
  return { width: info.width, height: info.height, channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
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

  constructor(private readonly opts: DecoderOptions) {}

  /**
   * Full-resolution samples: synchronously when our PNG decoder applies (plain 8-bit or palette PNGs without
   * an orientation), otherwise a promise from sharp that rejects with its reason when the file cannot be read.
   */
  decodeRaw(buf: Buffer): RawImage | Promise<RawImage> {
    if (this.opts.fastPath !== false) {
      const img = decodePng(buf);
      if (img) {
        this.stats.fast++;
        return img;
      }
    }
    this.stats.sharp++;
    return decodeRawWithSharp(buf);
  }

  /** size * size * channels bytes, preprocessed as the manifest says; a promise when sharp decodes. */
  decode(buf: Buffer): Uint8Array | Promise<Uint8Array> {
    const { size, channels } = this.opts;
    const raw = this.decodeRaw(buf);
    return raw instanceof Promise ? raw.then((img) => preprocess(img, size, channels)) : preprocess(raw, size, channels);
  }
}

/** Sharp's error messages are terse and technical; say what happened in plain words and keep its reason. */
export function describeDecodeError(err: unknown): CodedText {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return note('DECODE_UNKNOWN_FORMAT');
  const detail = msg.replace(/\s+/g, ' ').trim().replace(/[:\s]+$/, '');
  if (/corrupt header|truncated|premature end|read error/i.test(detail)) return note('DECODE_DAMAGED', { detail });
  return note('DECODE_FAILED', { detail });
}
