/**
 * Blob density B (CC-Net, Mishra et al., ISBI 2019, section 2.1 and Table 1): the number of
 * blobs that a scale-space blob detector finds, per unit area.
 *
 * Detector: difference of Gaussians over an octave pyramid (Lowe, "Distinctive image features
 * from scale-invariant keypoints", IJCV 2004, sections 3-4; Lindeberg, "Feature detection with
 * automatic scale selection", IJCV 1998), on the luminance scaled to [0, 1], with OpenCV.js
 * (`cv.GaussianBlur` on float images, reflecting border):
 *
 * 1. Scale space: the image is taken to carry blur sigma 0.5 and blurred to sigma_0 = 1.6 px;
 *    each octave holds G_j = G(sigma_0 * k^j), j = 0..4, k = sqrt(2) (two intervals per
 *    octave), each blurred incrementally from the previous (kernel +-3 sigma); the next octave starts from G_2
 *    (sigma 2 * sigma_0) keeping every second pixel. Octaves continue while the shorter side is
 *    at least 16 px, at most BLOB_MAX_OCTAVES = 4.
 * 2. Scale-normalised DoG: D_j = (G_j - G_{j+1}) / (k - 1), which approximates
 *    -sigma^2 * Laplacian(G) and answers A/2 at the centre of a Gaussian blob of contrast A at
 *    its own scale, whatever its size.
 * 3. Candidates: points of the two interior DoG layers of each octave (so blob scales sigma
 *    = 2.26 to 25.6 px of the full image, radius sigma * sqrt(2) = 3.2 to 36 px) whose |D| is
 *    at least BLOB_RESPONSE_THRESHOLD = 0.04 (a blob of contrast >= 0.08 of the full range,
 *    about 20 gray levels) and at least every one of their 26 neighbours in space and scale.
 *    Both signs count: bright blobs are maxima of D, dark blobs (nuclei, granules) minima.
 * 4. Ridges and edges are not blobs: a candidate whose 2x2 spatial Hessian of D has a ratio of
 *    principal curvatures above BLOB_EDGE_RATIO = 10 (Lowe's test, Tr^2/Det >= (r+1)^2/r, or a
 *    saddle) is rejected.
 * 5. Overlapping blobs are pruned as in scikit-image's `blob_dog`: of two blobs whose discs
 *    (radius sigma * sqrt(2)) overlap by more than half of the smaller disc, the smaller goes.
 *
 * Unit: B = blobs per 32 x 32 px block (1024 px^2) of the analysed image (after the dataset's
 * maxSidePx downscale). The paper does not say how it normalised B; with this unit the shared
 * datasets land in about the range of its Table 1 (0.07 to 0.57). B depends on resolution, as
 * the detector's scales are in pixels.
 */
import type { DecodedImage } from '../data/imageio';
import { DENSITY_AREA_UNIT_PX, luminancePlane } from './luminance';
import type { ImageMeasure } from './measure';
import { loadOpenCv, withMats, type Mat } from './opencv';

export const BLOB_BASE_SIGMA_PX = 1.6;
export const BLOB_ASSUMED_INPUT_SIGMA_PX = 0.5;
export const BLOB_INTERVALS_PER_OCTAVE = 2;
export const BLOB_MAX_OCTAVES = 4;
export const BLOB_MIN_OCTAVE_SIDE_PX = 16;
export const BLOB_RESPONSE_THRESHOLD = 0.04;
export const BLOB_EDGE_RATIO = 10;
export const BLOB_MAX_OVERLAP = 0.5;

export interface Blob {
  /** Centre in full-image pixels. */
  x: number;
  y: number;
  /** Scale of the blob in full-image pixels; its radius is sigma * sqrt(2). */
  sigma: number;
  /** Scale-normalised DoG response (positive: bright blob, negative: dark blob). */
  response: number;
}

/** Every blob of the image, with the documented settings (`threshold` overridable for studies). */
export async function detectBlobs(image: DecodedImage, threshold = BLOB_RESPONSE_THRESHOLD): Promise<Blob[]> {
  const { cv } = await loadOpenCv();
  const gray = luminancePlane(image);
  const k = 2 ** (1 / BLOB_INTERVALS_PER_OCTAVE);
  const levelCount = BLOB_INTERVALS_PER_OCTAVE + 3;
  const norm = 1 / (k - 1);
  return withMats((keep) => {
    const bytes = keep(cv.matFromArray(image.height, image.width, cv.CV_8UC1, gray));
    let octaveBase = keep(new cv.Mat());
    bytes.convertTo(octaveBase, cv.CV_32F, 1 / 255, 0);
    let baseSigma = BLOB_ASSUMED_INPUT_SIGMA_PX;
    const candidates: Blob[] = [];
    for (let octave = 0; octave < BLOB_MAX_OCTAVES; octave++) {
      const width = octaveBase.cols;
      const height = octaveBase.rows;
      if (Math.min(width, height) < BLOB_MIN_OCTAVE_SIDE_PX) break;
      const gaussians: Mat[] = [];
      let previous = octaveBase;
      let previousSigma = baseSigma;
      for (let j = 0; j < levelCount; j++) {
        const sigma = BLOB_BASE_SIGMA_PX * k ** j;
        const increment = Math.sqrt(sigma * sigma - previousSigma * previousSigma);
        const blurred = keep(new cv.Mat());
        const kernelPx = 2 * Math.ceil(3 * increment) + 1; // +-3 sigma, as OpenCV's 8-bit default
        if (increment > 0.05) cv.GaussianBlur(previous, blurred, new cv.Size(kernelPx, kernelPx), increment, increment, cv.BORDER_REFLECT);
        else previous.copyTo(blurred);
        gaussians.push(blurred);
        previous = blurred;
        previousSigma = sigma;
      }
      // D_j * (k - 1) = G_j - G_{j+1}, subtracted in OpenCV; the threshold is scaled instead of D
      const dogs: Float32Array[] = [];
      for (let j = 0; j + 1 < levelCount; j++) {
        const difference = keep(new cv.Mat());
        cv.subtract(gaussians[j]!, gaussians[j + 1]!, difference);
        dogs.push(difference.data32F);
      }
      const scale = 2 ** octave;
      for (const c of scaleSpaceExtrema(dogs, width, height, threshold / norm, BLOB_EDGE_RATIO)) {
        candidates.push({
          x: (c.x + 0.5) * scale - 0.5,
          y: (c.y + 0.5) * scale - 0.5,
          sigma: BLOB_BASE_SIGMA_PX * k ** c.scale * scale,
          response: c.response * norm,
        });
      }
      // next octave: G(2 sigma_0) keeping every second pixel carries sigma_0 in its own pixels
      const next = keep(new cv.Mat());
      cv.resize(gaussians[BLOB_INTERVALS_PER_OCTAVE]!, next, new cv.Size(Math.floor(width / 2), Math.floor(height / 2)), 0, 0, cv.INTER_NEAREST);
      octaveBase = next;
      baseSigma = BLOB_BASE_SIGMA_PX;
    }
    return pruneOverlapping(candidates, BLOB_MAX_OVERLAP);
  });
}

interface Extremum {
  x: number;
  y: number;
  scale: number;
  response: number;
}

/**
 * Points of the interior layers whose |D| >= threshold, that are the maximum (or minimum, for
 * negative D) of their 3x3x3 neighbourhood, and that pass the edge test with ratio `edgeRatio`.
 */
export function scaleSpaceExtrema(layers: readonly Float32Array[], width: number, height: number, threshold: number, edgeRatio: number): Extremum[] {
  const edgeLimit = (edgeRatio + 1) ** 2 / edgeRatio;
  const found: Extremum[] = [];
  for (let s = 1; s + 1 < layers.length; s++) {
    const below = layers[s - 1]!;
    const here = layers[s]!;
    const above = layers[s + 1]!;
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const p = y * width + x;
        const v = here[p]!;
        if (v < threshold && v > -threshold) continue;
        const sign = v > 0 ? 1 : -1;
        const sv = sign * v;
        if (!dominatesNeighbourhood(here, p, width, sign, sv, true)) continue;
        if (!dominatesNeighbourhood(below, p, width, sign, sv, false)) continue;
        if (!dominatesNeighbourhood(above, p, width, sign, sv, false)) continue;
        const dxx = here[p + 1]! + here[p - 1]! - 2 * v;
        const dyy = here[p + width]! + here[p - width]! - 2 * v;
        const dxy = (here[p + width + 1]! - here[p + width - 1]! - here[p - width + 1]! + here[p - width - 1]!) / 4;
        const trace = dxx + dyy;
        const det = dxx * dyy - dxy * dxy;
        if (det <= 0 || (trace * trace) / det >= edgeLimit) continue;
        found.push({ x, y, scale: s, response: v });
      }
    }
  }
  return found;
}

/** True when sign * layer[q] <= sv for the 3x3 block around p (without p itself when skipCentre). */
function dominatesNeighbourhood(layer: Float32Array, p: number, width: number, sign: number, sv: number, skipCentre: boolean): boolean {
  const up = p - width;
  const down = p + width;
  return (
    sign * layer[up - 1]! <= sv &&
    sign * layer[up]! <= sv &&
    sign * layer[up + 1]! <= sv &&
    sign * layer[p - 1]! <= sv &&
    (skipCentre || sign * layer[p]! <= sv) &&
    sign * layer[p + 1]! <= sv &&
    sign * layer[down - 1]! <= sv &&
    sign * layer[down]! <= sv &&
    sign * layer[down + 1]! <= sv
  );
}

/**
 * Drops the smaller of any two blobs whose discs (radius sigma * sqrt(2)) overlap by more than
 * `maxOverlap` of the smaller disc's area (scikit-image `_prune_blobs`), larger blobs first.
 */
export function pruneOverlapping(blobs: readonly Blob[], maxOverlap: number): Blob[] {
  if (blobs.length === 0) return [];
  const sorted = [...blobs].sort((a, b) => b.sigma - a.sigma || Math.abs(b.response) - Math.abs(a.response));
  // two discs can only overlap when their centres are closer than twice the largest radius:
  // kept blobs live in a grid of cells that size, and each blob looks at its 3 x 3 cells
  const cellPx = 2 * sorted[0]!.sigma * Math.SQRT2;
  const grid = new Map<number, Blob[]>();
  const cellKey = (cx: number, cy: number) => cx * 65536 + cy;
  const kept: Blob[] = [];
  for (const blob of sorted) {
    const r1 = blob.sigma * Math.SQRT2;
    const cx = Math.floor(blob.x / cellPx);
    const cy = Math.floor(blob.y / cellPx);
    let overlapping = false;
    for (let gx = cx - 1; gx <= cx + 1 && !overlapping; gx++) {
      for (let gy = cy - 1; gy <= cy + 1 && !overlapping; gy++) {
        for (const other of grid.get(cellKey(gx, gy)) ?? []) {
          const r2 = other.sigma * Math.SQRT2;
          const dx = blob.x - other.x;
          const dy = blob.y - other.y;
          const reach = r1 + r2;
          if (dx >= reach || dx <= -reach || dy >= reach || dy <= -reach) continue;
          const distance = Math.sqrt(dx * dx + dy * dy);
          if (distance < reach && circleOverlapFraction(r1, r2, distance) > maxOverlap) {
            overlapping = true;
            break;
          }
        }
      }
    }
    if (overlapping) continue;
    kept.push(blob);
    const key = cellKey(cx, cy);
    const cell = grid.get(key);
    if (cell) cell.push(blob);
    else grid.set(key, [blob]);
  }
  return kept;
}

/** Area of the intersection of two discs divided by the area of the smaller disc. */
export function circleOverlapFraction(r1: number, r2: number, distance: number): number {
  const small = Math.min(r1, r2);
  const large = Math.max(r1, r2);
  if (distance >= r1 + r2) return 0;
  if (distance <= large - small) return 1;
  const d = distance;
  const a1 = small * small * Math.acos((d * d + small * small - large * large) / (2 * d * small));
  const a2 = large * large * Math.acos((d * d + large * large - small * small) / (2 * d * large));
  const a3 = 0.5 * Math.sqrt(Math.max((-d + small + large) * (d + small - large) * (d - small + large) * (d + small + large), 0));
  return (a1 + a2 - a3) / (Math.PI * small * small);
}

export const blobDensity: ImageMeasure = {
  id: 'b',
  symbol: 'B',
  name: 'blob density',
  summary: 'DoG scale-space blobs (radius 3-36 px, |sigma^2 LoG| >= 0.04, not ridges) per 32x32 px block',
  version: 1,
  async compute(image) {
    const blobs = await detectBlobs(image);
    return blobs.length / ((image.width * image.height) / DENSITY_AREA_UNIT_PX);
  },
};
