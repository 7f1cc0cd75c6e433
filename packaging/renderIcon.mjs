// `npm run icon`: renders resources/icon.svg (the source) to resources/icon.png, the 1024 x 1024 image
// electron-builder turns into each platform's icon format.
import path from 'node:path';
import sharp from 'sharp';

const resources = path.resolve(import.meta.dirname, '..', 'resources');
await sharp(path.join(resources, 'icon.svg')).resize(1024, 1024).png().toFile(path.join(resources, 'icon.png'));
