/**
 * Keypoint density K (candidate measure of CC-Net, Mishra et al., ISBI 2019, section 2.1, which
 * counted SURF keypoints): keypoints per 32 x 32 px block (1024 px^2) of the luminance.
 *
 * SURF is patented and absent from OpenCV.js. This uses the FAST-9 corner detector (Rosten and
 * Drummond, "Machine learning for high-speed corner detection", ECCV 2006) of OpenCV.js 4.12
 * (`@techstark/opencv-js`, `cv.FastFeatureDetector`): intensity threshold KEYPOINT_FAST_THRESHOLD
 * = 20 gray levels, non-maximum suppression on, type 9/16, on the full-resolution luminance,
 * every keypoint counted. The build also has ORB, AKAZE and BRISK; on a 512 x 512 EM image with
 * about 25 000 keypoints ORB (FAST over 8 pyramid levels plus orientation) takes about 5x and
 * AKAZE (closest to SURF's Hessian detector) about 6x FAST's time, which a dataset scan cannot
 * afford next to the other measures; FAST is single-scale, which is the simplification.
 */
import { DENSITY_AREA_UNIT_PX, luminancePlane } from './luminance';
import type { ImageMeasure } from './measure';
import { loadOpenCv, withMats } from './opencv';
import type { DecodedImage } from '../data/imageio';

export const KEYPOINT_FAST_THRESHOLD = 20;

type FastDetectorClass = new (threshold: number, nonmaxSuppression: boolean) => {
  detect(image: unknown, keypoints: unknown): void;
  delete(): void;
};

export async function countKeypoints(image: DecodedImage): Promise<number> {
  const { cv } = await loadOpenCv();
  const gray = luminancePlane(image);
  return withMats((keep) => {
    const mat = keep(cv.matFromArray(image.height, image.width, cv.CV_8UC1, gray));
    // the package's typings omit FastFeatureDetector, which the build has
    const { FastFeatureDetector } = cv as unknown as { FastFeatureDetector: FastDetectorClass };
    const detector = keep(new FastFeatureDetector(KEYPOINT_FAST_THRESHOLD, true));
    const keypoints = keep(new cv.KeyPointVector());
    detector.detect(mat, keypoints);
    return keypoints.size();
  });
}

export const keypointDensity: ImageMeasure = {
  id: 'keypoints',
  symbol: 'K',
  name: 'keypoint density',
  summary: 'FAST-9 corners (OpenCV, threshold 20, non-max suppression) per 32x32 px block',
  version: 1,
  async compute(image) {
    return (await countKeypoints(image)) / ((image.width * image.height) / DENSITY_AREA_UNIT_PX);
  },
};
