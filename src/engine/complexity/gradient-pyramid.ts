/**
 * Mean gradient magnitude over a Gaussian image pyramid, shared by the Sobel and Scharr edge
 * measures (CC-Net, Mishra et al., ISBI 2019, section 2.1, "edge information ... averaged over
 * an image pyramid").
 *
 * - Luminance scaled to [0, 1] (Rec. 601 luma for RGB).
 * - Pyramid: level 0 is the image, each next level is `cv.pyrDown` of the previous (5x5
 *   Gaussian, then every second row and column); EDGE_PYRAMID_LEVELS = 4 levels (full, 1/2,
 *   1/4, 1/8), fewer when a level's shorter side would drop below 8 px.
 * - At each level, Gx and Gy by the operator (OpenCV `cv.Sobel` 3x3 or `cv.Scharr`, border
 *   reflected) divided by the sum of its positive taps (Sobel 4, Scharr 16) times 2, so that
 *   each is a central-difference derivative in intensity per pixel: a ramp of slope s gives s.
 * - The measure is the mean over levels of the mean over pixels of sqrt(Gx^2 + Gy^2).
 *
 * Units: intensity (0..1) per pixel of the level; a flat image gives 0.
 */
import type { DecodedImage } from '../data/imageio';
import { luminancePlane } from './luminance';
import { loadOpenCv, withMats, type Mat } from './opencv';

export const EDGE_PYRAMID_LEVELS = 4;
export const EDGE_MIN_LEVEL_SIDE_PX = 8;

export type GradientOperator = 'sobel' | 'scharr';

/** Per-level mean gradient magnitude, level 0 first. */
export async function meanGradientPerLevel(image: DecodedImage, operator: GradientOperator): Promise<number[]> {
  const { cv } = await loadOpenCv();
  const gray = luminancePlane(image);
  return withMats((keep) => {
    const bytes = keep(cv.matFromArray(image.height, image.width, cv.CV_8UC1, gray));
    let level = keep(new cv.Mat());
    bytes.convertTo(level, cv.CV_32F, 1 / 255, 0);
    const gx = keep(new cv.Mat());
    const gy = keep(new cv.Mat());
    const magnitude = keep(new cv.Mat());
    const scale = operator === 'sobel' ? 1 / 8 : 1 / 32;
    const means: number[] = [];
    for (let l = 0; l < EDGE_PYRAMID_LEVELS; l++) {
      if (l > 0) {
        if (Math.min(level.cols, level.rows) / 2 < EDGE_MIN_LEVEL_SIDE_PX) break;
        const smaller: Mat = keep(new cv.Mat());
        cv.pyrDown(level, smaller);
        level = smaller;
      }
      if (operator === 'sobel') {
        cv.Sobel(level, gx, cv.CV_32F, 1, 0, 3, scale, 0, cv.BORDER_REFLECT);
        cv.Sobel(level, gy, cv.CV_32F, 0, 1, 3, scale, 0, cv.BORDER_REFLECT);
      } else {
        cv.Scharr(level, gx, cv.CV_32F, 1, 0, scale, 0, cv.BORDER_REFLECT);
        cv.Scharr(level, gy, cv.CV_32F, 0, 1, scale, 0, cv.BORDER_REFLECT);
      }
      cv.magnitude(gx, gy, magnitude);
      means.push(cv.mean(magnitude)[0]!);
    }
    return means;
  });
}

export async function meanGradientOverPyramid(image: DecodedImage, operator: GradientOperator): Promise<number> {
  const means = await meanGradientPerLevel(image, operator);
  return means.reduce((a, b) => a + b, 0) / means.length;
}
