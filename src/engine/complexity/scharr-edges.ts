/**
 * Scharr edge information (candidate measure of CC-Net, Mishra et al., ISBI 2019, section 2.1;
 * Scharr, "Optimal operators in digital image processing", 2000): mean Scharr gradient magnitude
 * of the luminance averaged over a 4-level Gaussian pyramid. Definition, normalisation and
 * units: gradient-pyramid.ts.
 */
import type { ImageMeasure } from './measure';
import { meanGradientOverPyramid } from './gradient-pyramid';

export const scharrEdges: ImageMeasure = {
  id: 'scharr',
  symbol: 'Sch',
  name: 'Scharr edge information',
  summary: 'mean 3x3 Scharr gradient magnitude (intensity 0..1 per px), averaged over a 4-level pyramid',
  version: 1,
  compute: (image) => meanGradientOverPyramid(image, 'scharr'),
};
