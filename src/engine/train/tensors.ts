/**
 * From samples to the tensors every model sees (training, evaluation, latency and export alike).
 */
import * as tf from '../tf';

/**
 * Input preprocessing of every model (training, evaluation, latency and export alike): each
 * image is standardised per channel, (x - mean) / max(std, 1/255), so networks see zero-mean,
 * unit-variance inputs whatever the microscope's brightness and contrast.
 */
export const INPUT_PREPROCESSING = 'per-image (per-patch when tiled), per-channel standardisation: (x - mean) / max(std, 1/255), x in [0, 1]';

export function standardise(image: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(image.length);
  const pixels = image.length / channels;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let squares = 0;
    for (let p = 0; p < pixels; p++) {
      const v = image[p * channels + c]!;
      sum += v;
      squares += v * v;
    }
    const mean = sum / pixels;
    const std = Math.max(Math.sqrt(Math.max(0, squares / pixels - mean * mean)), 1 / 255);
    for (let p = 0; p < pixels; p++) out[p * channels + c] = (image[p * channels + c]! - mean) / std;
  }
  return out;
}

export function samplesToTensors(samples: readonly { image: Float32Array; mask: Uint8Array; widthPx: number; heightPx: number; channels: number }[]) {
  const { heightPx: h, widthPx: w, channels: c } = samples[0]!;
  const images = new Float32Array(samples.length * h * w * c);
  const masks = new Float32Array(samples.length * h * w);
  samples.forEach((s, i) => {
    images.set(standardise(s.image, c), i * h * w * c);
    for (let p = 0; p < h * w; p++) masks[i * h * w + p] = s.mask[p]!;
  });
  return { images: tf.tensor4d(images, [samples.length, h, w, c]), masks: tf.tensor4d(masks, [samples.length, h, w, 1]) };
}
