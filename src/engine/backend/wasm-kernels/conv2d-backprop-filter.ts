/**
 * Conv2DBackpropFilter for the wasm backend (TensorFlow.js 4.22 registers none, so nothing
 * trains there). The filter gradient of a 2-D convolution (NHWC, dilation 1),
 *
 *   dW[a, b, ci, co] = sum over n, y, x of  Xpad[n, y*sh + a, x*sw + b, ci] * dY[n, y, x, co],
 *
 * is itself a convolution once batch and channels swap roles: with Xt = Xpad transposed to
 * [ci, H, W, n] (ci "images" of n channels) and the filter Ft = dY transposed to
 * [oh, ow, n, co], dW^T = conv2d(Xt, Ft, stride 1, dilation (sh, sw), valid) has shape
 * [ci, kh, kw, co]; one more transpose gives [kh, kw, ci, co]. So the whole gradient is two
 * transposes and one call of wasm's fast (XNNPACK) convolution, instead of kh*kw strided
 * copies and a long matrix product.
 */
import * as tf from '../../tf';
import type { Conv2DGradientAttrs } from './conv2d-backprop-input';

export interface Conv2DBackpropFilterAttrs extends Conv2DGradientAttrs {
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterAsConvolution(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter supports NHWC only, not ${attrs.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad as 'same', attrs.dimRoundingMode, false, 'channelsLast');
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    // Exactly the input rows/columns the forward pass read: (k - 1) + (o - 1) * s + 1 of them.
    const usedHeight = kh + (oh - 1) * sh;
    const usedWidth = kw + (ow - 1) * sw;
    const bottom = usedHeight - top - x.shape[1];
    const right = usedWidth - left - x.shape[2];
    let input: tf.Tensor4D = x;
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      input = tf.pad(input, [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]]);
    }
    if (bottom < 0 || right < 0 || top < 0 || left < 0) {
      // 'valid' convolutions whose strides skip the last rows/columns: crop to what was read.
      input = tf.slice(input, [0, Math.max(0, -top), Math.max(0, -left), 0], [input.shape[0], usedHeight, usedWidth, input.shape[3]]);
    }
    const swappedInput = tf.transpose(input, [3, 1, 2, 0]); // [ci, H, W, n]
    const swappedFilter = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, co]
    const gradient = tf.conv2d(swappedInput, swappedFilter, 1, 'valid', 'NHWC', [sh, sw]); // [ci, kh, kw, co]
    return tf.transpose(gradient, [1, 2, 0, 3]);
  });
}
