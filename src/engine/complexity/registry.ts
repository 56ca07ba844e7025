/** Every image complexity measure the product offers, by id. */
import { blobDensity } from './blob-density';
import { jpegComplexity } from './jpeg';
import { keypointDensity } from './keypoint-density';
import type { ImageMeasure } from './measure';
import { scharrEdges } from './scharr-edges';
import { signalEnergy } from './signal-energy';
import { sobelEdges } from './sobel-edges';
import { visualClutter } from './visual-clutter';

export const MEASURES: readonly ImageMeasure[] = [
  jpegComplexity,
  blobDensity,
  signalEnergy,
  sobelEdges,
  scharrEdges,
  keypointDensity,
  visualClutter,
];

/** The measures used when a cell names none: the paper's chosen measure J. */
export const DEFAULT_MEASURE_IDS: readonly string[] = ['j'];

export function measureById(id: string): ImageMeasure | undefined {
  return MEASURES.find((m) => m.id === id.toLowerCase());
}

/** Resolves `all` or a list of ids to measures; an unknown id is an error listing the known ones. */
export function resolveMeasures(ids: readonly string[] | 'all'): ImageMeasure[] {
  if (ids === 'all') return [...MEASURES];
  return ids.map((id) => {
    const measure = measureById(id);
    if (!measure) {
      throw new RangeError(`unknown complexity measure '${id}'; known measures: ${MEASURES.map((m) => `${m.id} (${m.name})`).join(', ')}, or all`);
    }
    return measure;
  });
}
