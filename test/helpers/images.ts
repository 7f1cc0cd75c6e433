// Tiny labeled image folders for tests.
import fs from 'node:fs';
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
