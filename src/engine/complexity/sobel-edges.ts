/**
 * Sobel edge information (candidate measure of CC-Net, Mishra et al., ISBI 2019, section 2.1;
 * Sobel and Feldman 1968): mean Sobel gradient magnitude of the luminance averaged over a
 * 4-level Gaussian pyramid. Definition, normalisation and units: gradient-pyramid.ts.
 */
import type { ImageMeasure } from './measure';
import { meanGradientOverPyramid } from './gradient-pyramid';

export const sobelEdges: ImageMeasure = {
  id: 'sobel',
  symbol: 'S',
  name: 'Sobel edge information',
  summary: 'mean 3x3 Sobel gradient magnitude (intensity 0..1 per px), averaged over a 4-level pyramid',
  version: 1,
  compute: (image) => meanGradientOverPyramid(image, 'sobel'),
};
