// Renders media/icon.svg to media/icon.png (128x128, the size the marketplace asks for), the
// extension's icon ("icon" in package.json). `npm run icon` after changing the SVG; the PNG
// is committed, so packaging does not depend on this step.
import { join } from 'node:path';
import sharp from 'sharp';

const media = join(import.meta.dirname, '..', 'media');
const info = await sharp(join(media, 'icon.svg'), { density: 288 }).resize(128, 128).png({ compressionLevel: 9 }).toFile(join(media, 'icon.png'));
console.log(`media/icon.png: ${info.width}x${info.height}, ${info.size} bytes`);
