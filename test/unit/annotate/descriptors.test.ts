import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { concatenatedUnitDescriptors, encoderDescriptors, encoderLayer } from '../../../src/engine/annotate/descriptors';
import { buildNetwork } from '../../../src/engine/models/registry';

before(async () => {
  await tf.setBackend('cpu');
});

test('the encoder layer of U-Net, FCN-8s and CUMedVision is a convolution at the coarsest resolution (1/16, 1/32, 1/8 of 64 px here)', () => {
  const coarsest = { unet: 4, fcn: 2, cumedvision: 8 } as const;
  for (const network of ['unet', 'fcn', 'cumedvision'] as const) {
    const model = buildNetwork(network, { alpha: 1 / 16, inputHeightPx: 64, inputWidthPx: 64, inputChannels: 1, seed: 1 });
    const layer = encoderLayer(model);
    const shape = layer.outputShape as number[];
    assert.equal(layer.getClassName(), 'Conv2D');
    assert.equal(shape[1], coarsest[network], `${network}: ${layer.name} ${shape.join('x')}`);
    model.dispose();
  }
});

test('descriptors: one vector of the encoder layer\'s channels per image, tiles averaged; members centred, unit length, concatenated (by hand)', async () => {
  const model = buildNetwork('unet', { alpha: 1 / 16, inputHeightPx: 32, inputWidthPx: 32, inputChannels: 1, seed: 2 });
  const image = (widthPx: number) => ({ id: 'x', widthPx, heightPx: 32, channels: 1 as const, image: new Float32Array(widthPx * 32).map((_, i) => (i % 7) / 7), mask: new Uint8Array(widthPx * 32) });
  const [one, two] = await encoderDescriptors(model, [image(32), image(64)]);
  assert.equal(one!.length, (encoderLayer(model).outputShape as number[])[3]);
  assert.equal(two!.length, one!.length);
  model.dispose();

  // member 1: [1, 0], [3, 0] (mean [2, 0]) -> [-1, 0], [1, 0]; member 2: [0, 2], [0, 2] (mean equal) -> zero vectors stay zero
  const [a, b] = concatenatedUnitDescriptors([
    [Float32Array.from([1, 0]), Float32Array.from([3, 0])],
    [Float32Array.from([0, 2]), Float32Array.from([0, 2])],
  ]);
  assert.deepEqual(Array.from(a!), [-1, 0, 0, 0]);
  assert.deepEqual(Array.from(b!), [1, 0, 0, 0]);
});
