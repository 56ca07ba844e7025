/**
 * Segmentation overlays (the paper's Fig. 5), made with sharp: the image as PNG and RGBA PNG
 * layers the renderer stacks with an opacity slider and toggles:
 * - truth: ground-truth foreground in yellow #F0E442;
 * - prediction: predicted foreground (probability >= 0.5) in blue #0072B2;
 * - errors: true positives #009E73 (green), false positives #D55E00 (vermillion) and false
 *   negatives #56B4E9 (sky blue), the Okabe-Ito colour-blind-safe palette.
 * The JSON is the renderer's contract for the mime type application/vnd.ccnet.overlay+json.
 */
import sharp from 'sharp';
import type { SegmentationSample } from '../data/samples';
import { PREDICTION_THRESHOLD, imageMetrics } from './metrics';

export const OVERLAY_COLOURS = {
  truth: [0xf0, 0xe4, 0x42],
  prediction: [0x00, 0x72, 0xb2],
  truePositive: [0x00, 0x9e, 0x73],
  falsePositive: [0xd5, 0x5e, 0x00],
  falseNegative: [0x56, 0xb4, 0xe9],
} as const;

export const OVERLAY_LEGEND = [
  { color: '#009E73', label: 'true positive' },
  { color: '#D55E00', label: 'false positive' },
  { color: '#56B4E9', label: 'false negative' },
  { color: '#F0E442', label: 'truth' },
  { color: '#0072B2', label: 'prediction' },
];

export interface OverlayImage {
  title: string;
  widthPx: number;
  heightPx: number;
  imagePngBase64: string;
  layers: { name: 'truth' | 'prediction' | 'errors' | 'uncertainty'; label: string; pngBase64: string; visible?: boolean }[];
  metrics?: Record<string, number>;
}

export interface OverlayData {
  title?: string;
  images: OverlayImage[];
  legend?: { color: string; label: string }[];
}

export async function rgbaPng(width: number, height: number, colourAt: (p: number) => readonly number[] | undefined): Promise<string> {
  const pixels = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const colour = colourAt(p);
    if (!colour) continue;
    pixels[p * 4] = colour[0]!;
    pixels[p * 4 + 1] = colour[1]!;
    pixels[p * 4 + 2] = colour[2]!;
    pixels[p * 4 + 3] = colour[3] ?? 255;
  }
  return (await sharp(pixels, { raw: { width, height, channels: 4 } }).png().toBuffer()).toString('base64');
}

/** The sample's image as a PNG (base64). */
export async function imagePng(sample: SegmentationSample): Promise<string> {
  const { widthPx: w, heightPx: h, channels: c } = sample;
  const pixels = Buffer.alloc(w * h * c);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(Math.min(1, Math.max(0, sample.image[i]!)) * 255);
  return (await sharp(pixels, { raw: { width: w, height: h, channels: c } }).png().toBuffer()).toString('base64');
}

/** The overlay of one sample and its predicted probabilities. */
export async function overlayImage(sample: SegmentationSample, probabilities: ArrayLike<number>, title = sample.id): Promise<OverlayImage> {
  const { widthPx: w, heightPx: h } = sample;
  const imagePngBase64 = await imagePng(sample);
  const predicted = (p: number) => probabilities[p]! >= PREDICTION_THRESHOLD;
  const metrics = imageMetrics(probabilities, sample.mask);
  return {
    title,
    widthPx: w,
    heightPx: h,
    imagePngBase64,
    layers: [
      { name: 'errors', label: 'errors (TP/FP/FN)', pngBase64: await rgbaPng(w, h, (p) => (sample.mask[p] ? (predicted(p) ? OVERLAY_COLOURS.truePositive : OVERLAY_COLOURS.falseNegative) : predicted(p) ? OVERLAY_COLOURS.falsePositive : undefined)), visible: true },
      { name: 'truth', label: 'truth', pngBase64: await rgbaPng(w, h, (p) => (sample.mask[p] ? OVERLAY_COLOURS.truth : undefined)), visible: false },
      { name: 'prediction', label: 'prediction', pngBase64: await rgbaPng(w, h, (p) => (predicted(p) ? OVERLAY_COLOURS.prediction : undefined)), visible: false },
    ],
    metrics: { F1: metrics.f1, IoU: metrics.iou },
  };
}
