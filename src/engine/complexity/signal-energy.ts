/**
 * Signal energy E (one of the candidate measures of CC-Net, Mishra et al., ISBI 2019, section
 * 2.1): the mean energy per pixel of the zero-mean luminance, with intensities scaled to [0, 1]:
 *
 *   E = (1 / N) * sum_p (I(p) - mean(I))^2
 *
 * By Parseval's theorem this is the total power of the image's spectrum without the DC term
 * (the "AC energy"), per pixel; it equals the intensity variance. Range 0 (flat) to 0.25 (half
 * the pixels black, half white). RGB images are measured on their Rec. 601 luma.
 */
import { luminancePlane } from './luminance';
import type { ImageMeasure } from './measure';

export function acEnergyPerPixel(plane: Uint8Array): number {
  let sum = 0;
  let sumSquares = 0;
  for (let p = 0; p < plane.length; p++) {
    const v = plane[p]!;
    sum += v;
    sumSquares += v * v;
  }
  const n = plane.length;
  const mean = sum / n;
  return Math.max(sumSquares / n - mean * mean, 0) / (255 * 255);
}

export const signalEnergy: ImageMeasure = {
  id: 'energy',
  symbol: 'E',
  name: 'signal energy',
  summary: 'mean squared zero-mean luminance in [0,1] units (AC energy per pixel, 0..0.25)',
  version: 1,
  async compute(image) {
    return acEnergyPerPixel(luminancePlane(image));
  },
};
