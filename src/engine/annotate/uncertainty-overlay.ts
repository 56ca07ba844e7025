/**
 * Overlays of suggested images for the notebook's overlay renderer: the image, the ensemble's
 * per-pixel disagreement (variance, shown in reddish purple #CC79A7 of the Okabe-Ito palette,
 * its opacity rising from 0 at no disagreement to full at the largest possible, 0.25) and the
 * ensemble's mean prediction (probability >= 0.5, in blue as in segmentation overlays).
 */
import type { SegmentationSample } from '../data/samples';
import { PREDICTION_THRESHOLD } from '../train/metrics';
import { imagePng, OVERLAY_COLOURS, rgbaPng, type OverlayImage } from '../train/overlay';

export const UNCERTAINTY_COLOUR = [0xcc, 0x79, 0xa7] as const;
/** The variance of a probability is at most 0.25. */
const MAX_VARIANCE = 0.25;

export const UNCERTAINTY_LEGEND = [
  { color: '#CC79A7', label: 'disagreement of the ensemble (opacity: variance up to 0.25)' },
  { color: '#0072B2', label: 'mean prediction' },
];

export async function uncertaintyOverlay(image: SegmentationSample, variance: ArrayLike<number>, meanProbability: ArrayLike<number>, title: string, metrics: Record<string, number>): Promise<OverlayImage> {
  const { widthPx: w, heightPx: h } = image;
  return {
    title,
    widthPx: w,
    heightPx: h,
    imagePngBase64: await imagePng(image),
    layers: [
      {
        name: 'uncertainty',
        label: 'disagreement',
        pngBase64: await rgbaPng(w, h, (p) => {
          const alpha = Math.round(Math.min(1, variance[p]! / MAX_VARIANCE) * 255);
          return alpha > 0 ? [...UNCERTAINTY_COLOUR, alpha] : undefined;
        }),
        visible: true,
      },
      { name: 'prediction', label: 'mean prediction', pngBase64: await rgbaPng(w, h, (p) => (meanProbability[p]! >= PREDICTION_THRESHOLD ? OVERLAY_COLOURS.prediction : undefined)), visible: false },
    ],
    metrics,
  };
}
