import type { SegmentationSample } from '../../src/engine/data/samples';
import { SeededRandom } from '../../src/engine/util/random';

/** An easy 16 x 16 gray task: uniform noise, foreground where the image is brighter than 0.5. */
export function brightSamples(count: number, seed: number): SegmentationSample[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const image = Float32Array.from({ length: 16 * 16 }, () => random.next());
    return { id: `s${i}`, widthPx: 16, heightPx: 16, channels: 1, image, mask: Uint8Array.from(image, (v) => (v > 0.5 ? 1 : 0)) };
  });
}
