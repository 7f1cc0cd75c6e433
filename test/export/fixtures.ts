// Fixtures for export tests: a folder with every kind of image the preprocessing must get right, and trials
// trained on it in-process (tiny networks, a few epochs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { resolveLocations, type DataLocations } from '../../src/core/paths';
import { openStorage } from '../../src/core/storage/sqlite';
import type { Storage } from '../../src/core/storage/types';
import { createManualTrial } from '../../src/core/trainer/manualTrial';
import { runTrial } from '../../src/core/trainer/runTrial';
import { encodePng } from '../../src/core/data/png';
import { bytes, pngChunk, pngFromRows, smooth } from '../data/fixtures';

/** Image kinds, each written in both classes; the file name starts with the kind. */
export const IMAGE_KINDS = ['grey', 'rgb-nonsquare', 'rgba', 'grey-alpha', 'palette-trns', 'rgb16', 'grey16', 'exif-jpeg', 'exif-png', 'tall-rgb'] as const;

async function imageOf(kind: (typeof IMAGE_KINDS)[number], seed: number): Promise<{ ext: string; data: Buffer }> {
  const raw = (w: number, h: number, c: 1 | 2 | 3 | 4) => sharp(smooth(w, h, c, seed), { raw: { width: w, height: h, channels: c } });
  switch (kind) {
    case 'grey':
      return { ext: 'png', data: encodePng(smooth(8, 8, 1, seed), 8, 8, 1) };
    case 'rgb-nonsquare':
      return { ext: 'png', data: encodePng(smooth(13, 9, 3, seed), 13, 9, 3) };
    case 'rgba': {
      const px = smooth(10, 12, 4, seed);
      for (let i = 3; i < px.length; i += 4) px[i] = (i * 13 + seed * 29) & 255;
      return { ext: 'png', data: encodePng(px, 10, 12, 4) };
    }
    case 'grey-alpha':
      return { ext: 'png', data: encodePng(bytes(7 * 11 * 2, seed), 7, 11, 2) };
    case 'palette-trns': {
      const idx = Uint8Array.from(bytes(9 * 9, seed), (b) => b & 15);
      return { ext: 'png', data: pngFromRows(9, 9, 8, 3, idx, [pngChunk('PLTE', bytes(48, seed + 1)), pngChunk('tRNS', bytes(10, seed + 2))]) };
    }
    case 'rgb16': {
      const px = Uint16Array.from({ length: 11 * 6 * 3 }, (_, i) => (i * 2654435761 + seed * 40503) & 0xffff);
      return { ext: 'png', data: await sharp(px, { raw: { width: 11, height: 6, channels: 3 } }).toColourspace('rgb16').png().toBuffer() };
    }
    case 'grey16': {
      const px = Uint16Array.from({ length: 12 * 12 }, (_, i) => (i * 977 + seed * 12345) & 0xffff);
      return { ext: 'png', data: await sharp(px, { raw: { width: 12, height: 12, channels: 1 } }).toColourspace('grey16').png().toBuffer() };
    }
    case 'exif-jpeg':
      return { ext: 'jpg', data: await raw(16, 10, 3).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer() };
    case 'exif-png':
      return { ext: 'png', data: await raw(10, 7, 3).png().withMetadata({ orientation: 3 }).toBuffer() };
    case 'tall-rgb':
      return { ext: 'png', data: await raw(6, 15, 3).png().toBuffer() };
  }
}

/** Two classes, each with `perKind` images of every kind (names: <kind>-<i>.<ext>). */
export async function makeMixedFolder(dir: string, perKind = 2): Promise<string> {
  for (const [c, cls] of ['a', 'b'].entries()) {
    fs.mkdirSync(path.join(dir, cls), { recursive: true });
    for (const kind of IMAGE_KINDS) {
      for (let i = 0; i < perKind; i++) {
        const img = await imageOf(kind, 1 + c * 100 + i * 7 + IMAGE_KINDS.indexOf(kind) * 13);
        fs.writeFileSync(path.join(dir, cls, `${kind}-${i}.${img.ext}`), img.data);
      }
    }
  }
  return dir;
}

export interface Workspace {
  tmp: string;
  images: string;
  locations: DataLocations;
  storage: Storage;
  close(): Promise<void>;
}

export async function makeWorkspace(prefix = 'll-export-'): Promise<Workspace> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const images = await makeMixedFolder(path.join(tmp, 'images'));
  const locations = resolveLocations({ dataDir: path.join(tmp, 'home') });
  fs.mkdirSync(locations.dataDir, { recursive: true });
  const storage = openStorage(locations.dbPath, { create: true });
  return {
    tmp,
    images,
    locations,
    storage,
    async close() {
      await storage.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Trains one hand-configured trial on the workspace's images; returns its id. */
export async function trainTrial(ws: Workspace, params: Partial<AutoencoderParams>): Promise<number> {
  const p: AutoencoderParams = { ...DEFAULT_PARAMS, imageSize: 8, channels: 3, latentSize: 3, hiddenUnits: [12], epochs: 2, batchSize: 8, valFraction: 0.25, seed: 3, filters: [4], ...params };
  const request = { datasetPath: ws.images, params: p };
  const trialId = await createManualTrial(ws.storage, request);
  const r = await runTrial({ storage: ws.storage, trialId, request, cacheDir: ws.locations.cacheDir, artifactsDir: ws.locations.artifactsDir });
  if (r.state !== 'COMPLETE') throw new Error(`fixture trial ${trialId} ${r.state}: ${r.reason}`);
  return trialId;
}

/**
 * Two features CSVs (file,label,z_...) with the same files and labels and codes equal to 1e-6: codes computed
 * in a trainer process and in the test's own process may differ in the last float32 bit (their TensorFlow.js
 * backends round differently).
 */
export function expectSameCodes(actual: string, expected: string): void {
  const rows = (text: string): string[][] => text.trim().split('\n').map((l) => l.split(','));
  const a = rows(actual);
  const e = rows(expected);
  expect(a.map((r) => r.slice(0, 2))).toEqual(e.map((r) => r.slice(0, 2)));
  a.slice(1).forEach((r, i) => r.slice(2).forEach((v, j) => expect(Math.abs(Number(v) - Number(e[i + 1][j + 2]))).toBeLessThan(1e-6)));
}
