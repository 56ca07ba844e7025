/**
 * A faster Conv2DBackpropInput for the wasm backend: the input gradient of a convolution, which
 * is also the forward pass of a transposed convolution (conv2dTranspose layers). wasm's own
 * kernel is a plain loop; these rewrite it onto wasm's fast (XNNPACK) convolution and matmul:
 *
 *   dX[n, i, j, ci] = sum over a, b, co of dY[n, y, x, co] * W[a, b, ci, co],
 *                     where i = y*sh + a - padTop and j = x*sw + b - padLeft.
 *
 * 1. kernel == stride, no padding (U-Net's 2x2/2 up-convolution): output blocks do not overlap,
 *    so dX is one matrix product dY [n*oh*ow, co] x W' [co, kh*kw*ci] rearranged depth-to-space.
 * 2. otherwise: insert (s - 1) zeros between the rows/columns of dY (for stride 1 none), pad by
 *    (k - 1 - pad), and convolve (stride 1, valid) with W flipped in space and with its channel
 *    axes swapped ([kh, kw, co, ci]): the textbook identity for the transposed convolution.
 * NHWC, dilation 1.
 */
import * as tf from '../../tf';

/** The attributes TensorFlow.js passes to both convolution gradient kernels. */
export interface Conv2DGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface Conv2DBackpropInputAttrs extends Conv2DGradientAttrs {
  inputShape: [number, number, number, number];
}

export function conv2dBackpropInputAsConvolution(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DBackpropInputAttrs): tf.Tensor4D {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropInput supports NHWC only, not ${attrs.dataFormat}`);
  const [n, height, width, ci] = attrs.inputShape;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad as 'same', attrs.dimRoundingMode, false, 'channelsLast');
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    if (kh === sh && kw === sw && top === 0 && left === 0 && oh * sh === height && ow * sw === width) {
      const weights = tf.reshape(tf.transpose(filter, [3, 0, 1, 2]), [co, kh * kw * ci]); // [co, kh*kw*ci]
      const blocks = tf.reshape(tf.matMul(tf.reshape(dy, [n * oh * ow, co]), weights), [n, oh, ow, kh, kw * ci]);
      return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4]), [n, height, width, ci]);
    }
    let spread: tf.Tensor4D = dy;
    if (sh > 1 || sw > 1) {
      // Insert (s - 1) zeros after every row and column, then drop the trailing ones.
      const expanded = tf.reshape(dy, [n, oh, 1, ow, 1, co]);
      const zeros = tf.pad(expanded, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
      spread = tf.slice(tf.reshape(zeros, [n, oh * sh, ow * sw, co]) as tf.Tensor4D, [0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, co]);
    }
    const padTop = kh - 1 - top;
    const padLeft = kw - 1 - left;
    const padBottom = height + kh - 1 - padTop - spread.shape[1];
    const padRight = width + kw - 1 - padLeft - spread.shape[2];
    let padded = tf.pad(spread, [[0, 0], [Math.max(0, padTop), Math.max(0, padBottom)], [Math.max(0, padLeft), Math.max(0, padRight)], [0, 0]]);
    if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
      padded = tf.slice(padded, [0, Math.max(0, -padTop), Math.max(0, -padLeft), 0], [n, height + kh - 1, width + kw - 1, co]);
    }
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh, kw, co, ci]
    return tf.conv2d(padded, flipped, 1, 'valid');
  });
}
