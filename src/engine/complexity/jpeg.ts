/**
 * JPEG complexity J (Yu and Winkler, "Image complexity and spatial information", QoMEX 2013;
 * used by CC-Net, Mishra et al., ISBI 2019, section 2.1):
 *
 *   J = (bytes of the image encoded as JPEG) / (number of pixels) = jpegBytes / (width * height)
 *
 * i.e. JPEG bytes per pixel, for gray and colour images alike. This is the definition that
 * reproduces the paper's Table 1: on GlaS (the paper's "Glands", J = 0.2401) bytes per pixel
 * gives 0.2438, while bytes per uncompressed byte (width * height * 3) gives 0.0813, three times
 * smaller; for gray images (HeLa) the two are the same. A smooth image compresses well (J near 0);
 * texture, edges and noise raise J.
 *
 * Encoding settings (sharp/libjpeg-turbo, fixed so that values compare across datasets):
 * quality 75 (the libjpeg default), baseline, Huffman tables optimised, no trellis or other
 * mozjpeg options, chroma subsampling 4:2:0 for colour images, and gray images encoded as one
 * channel. Headers count in the size; for a 128x128 gray image they add about 0.02 to J.
 */
import sharp from 'sharp';
import type { DecodedImage } from '../data/imageio';
import type { ImageMeasure } from './measure';

export const JPEG_COMPLEXITY_QUALITY = 75;

/** Size in bytes of the image encoded as JPEG with the documented settings. */
export async function jpegEncodedBytes(image: DecodedImage): Promise<number> {
  const raw = { width: image.width, height: image.height, channels: image.channels };
  const buffer = Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength);
  const encoded = await sharp(buffer, { raw })
    .jpeg({ quality: JPEG_COMPLEXITY_QUALITY, chromaSubsampling: '4:2:0', optimiseCoding: true, mozjpeg: false })
    .toBuffer();
  return encoded.byteLength;
}

export const jpegComplexity: ImageMeasure = {
  id: 'j',
  symbol: 'J',
  name: 'JPEG complexity',
  summary: 'JPEG bytes per pixel at quality 75 (gray and colour alike; 0..~1)',
  version: 2,
  async compute(image) {
    return (await jpegEncodedBytes(image)) / (image.width * image.height);
  },
};
