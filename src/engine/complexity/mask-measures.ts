/**
 * Measures of a dataset's masks: what a network has to draw, as opposed to what it sees. The
 * training data has masks, so a calibration can relate degradation to them as well as to image
 * complexity (CC-Net, Mishra et al. ISBI 2019, uses image measures only; these are candidates
 * that the calibration scores by held-out error beside them). Per mask, then averaged over the
 * dataset's masks:
 *
 * - `foreground`: foreground pixels / all pixels (0..1).
 * - `boundary`: boundary pixels per foreground pixel, where a boundary pixel is a foreground
 *   pixel with a background (or out-of-image) 4-neighbour; a 1-pixel-wide line gives 1, a
 *   filled disc of radius R about 2/R. Thin, ragged structures score high.
 * - `thickness`: typical structure thickness in pixels, 4 x the mean Euclidean distance from a
 *   foreground pixel to the nearest background pixel (exact distance transform, Felzenszwalb and
 *   Huttenlocher 2012). For an infinite strip of width w the mean distance is w/4, so this is w.
 * - `objects`: connected foreground components (8-connected) per megapixel of mask.
 *
 * An all-background mask counts 0 for foreground and objects, and is left out of the boundary
 * and thickness means (they are per foreground pixel).
 */

export const MASK_MEASURE_IDS = ['foreground', 'boundary', 'thickness', 'objects'] as const;
export type MaskMeasureId = (typeof MASK_MEASURE_IDS)[number];

export interface BinaryMask {
  widthPx: number;
  heightPx: number;
  /** 0 or 1 per pixel, row-major. */
  mask: Uint8Array;
}

export function maskMeasures(m: BinaryMask): Record<MaskMeasureId, number> {
  const { widthPx: w, heightPx: h, mask } = m;
  let foreground = 0;
  let boundary = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      foreground++;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w]) boundary++;
    }
  }
  const objects = (countComponents(m) * 1e6) / (w * h);
  if (foreground === 0) return { foreground: 0, boundary: Number.NaN, thickness: Number.NaN, objects };
  const distance = distanceToBackground(m);
  let sum = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) sum += distance[i]!;
  return { foreground: foreground / (w * h), boundary: boundary / foreground, thickness: (4 * sum) / foreground, objects };
}

/** Mean of each mask measure over masks (NaN values, from empty masks, left out). */
export function datasetMaskMeasures(masks: readonly BinaryMask[]): Record<MaskMeasureId, number> {
  const per = masks.map(maskMeasures);
  const mean = (id: MaskMeasureId) => {
    const values = per.map((p) => p[id]).filter((v) => Number.isFinite(v));
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  };
  return Object.fromEntries(MASK_MEASURE_IDS.map((id) => [id, mean(id)])) as Record<MaskMeasureId, number>;
}

/** 8-connected components of the foreground, by union-find over one raster pass. */
export function countComponents({ widthPx: w, heightPx: h, mask }: BinaryMask): number {
  const parent = new Int32Array(w * h).fill(-1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      parent[i] = i;
      if (x > 0 && mask[i - 1]) union(i, i - 1);
      if (y > 0) {
        if (mask[i - w]) union(i, i - w);
        if (x > 0 && mask[i - w - 1]) union(i, i - w - 1);
        if (x < w - 1 && mask[i - w + 1]) union(i, i - w + 1);
      }
    }
  }
  let count = 0;
  for (let i = 0; i < parent.length; i++) if (parent[i] === i) count++;
  return count;
}

/**
 * Euclidean distance from every pixel to the nearest background pixel (0 on background); pixels
 * outside the image count as background, so a structure touching the edge is measured to it.
 * Separable exact transform: squared distances along rows, then the lower envelope of parabolas
 * down columns.
 */
export function distanceToBackground({ widthPx: w, heightPx: h, mask }: BinaryMask): Float64Array {
  const INF = 1e20;
  const rows = new Float64Array(w * h);
  // pass 1: squared distance to the nearest background in the row (the row's ends border background)
  for (let y = 0; y < h; y++) {
    let last = -1;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) last = x;
      rows[i] = mask[i] ? x - last : 0;
    }
    last = w;
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (!mask[i]) last = x;
      rows[i] = Math.min(rows[i]!, last - x) ** 2;
    }
  }
  // pass 2: per column, d(y) = min over y' of rows(y') + (y - y')^2, with background beyond both ends
  const out = new Float64Array(w * h);
  const f = new Float64Array(h + 2);
  const v = new Int32Array(h + 2);
  const z = new Float64Array(h + 3);
  for (let x = 0; x < w; x++) {
    // sites -1 and h are background (value 0) outside the image
    const n = h + 2;
    for (let k = 0; k < n; k++) f[k] = k === 0 || k === n - 1 ? 0 : rows[(k - 1) * w + x]! >= INF ? INF : rows[(k - 1) * w + x]!;
    let top = 0;
    v[0] = 0;
    z[0] = -INF;
    z[1] = INF;
    for (let q = 1; q < n; q++) {
      let s = (f[q]! + q * q - (f[v[top]!]! + v[top]! * v[top]!)) / (2 * q - 2 * v[top]!);
      while (s <= z[top]!) {
        top--;
        s = (f[q]! + q * q - (f[v[top]!]! + v[top]! * v[top]!)) / (2 * q - 2 * v[top]!);
      }
      top++;
      v[top] = q;
      z[top] = s;
      z[top + 1] = INF;
    }
    top = 0;
    for (let q = 1; q < n - 1; q++) {
      while (z[top + 1]! < q) top++;
      const y = q - 1;
      out[y * w + x] = mask[y * w + x] ? Math.sqrt((q - v[top]!) ** 2 + f[v[top]!]!) : 0;
    }
  }
  return out;
}
