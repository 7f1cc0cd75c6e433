// Tiny labeled image folders for tests.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

export async function makeImageFolder(dir: string, classes = ['a', 'b'], perClass = 10, size = 8): Promise<string> {
  for (const [c, cls] of classes.entries()) {
    fs.mkdirSync(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const px = Buffer.alloc(size * size).map((_, j) => (c * 90 + i * 5 + (j % size) * 3) % 256);
      await sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toFile(path.join(dir, cls, `${i}.png`));
    }
  }
  return dir;
}

/**
 * A labeled folder of real handwritten digits (the first `perClass` of each class from the `mnist` package,
 * 28x28 grey PNGs in 0/ .. 9/): small enough to train on in seconds, real enough that a latent map shows clusters.
 */
export async function makeDigitFolder(dir: string, perClass = 12): Promise<string> {
  const digits = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const side = 28;
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(fs.readFileSync(path.join(digits, `${d}.json`), 'utf8')) as { data: number[] };
    fs.mkdirSync(path.join(dir, String(d)), { recursive: true });
    for (let k = 0; k < perClass; k++) {
      const px = Buffer.from(data.slice(k * side * side, (k + 1) * side * side).map((v) => Math.round(v * 255)));
      await sharp(px, { raw: { width: side, height: side, channels: 1 } }).png().toFile(path.join(dir, String(d), `${d}-${k}.png`));
    }
  }
  return dir;
}
