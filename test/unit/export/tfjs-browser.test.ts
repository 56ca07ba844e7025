// TensorFlow.js exports checked in a real browser: headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) loads each exported model from a local HTTP server with stock
// @tensorflow/tfjs from node_modules (tf.loadLayersModel) and predicts; its output must match
// the kernel's prediction within 1e-4, for a float, an 8-bit, a 4-bit, an L1-pruned and a
// magnitude-pruned U-Net. .ci/run installs Chromium before npm test; without it the test skips.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import * as tf from '../../../src/engine/tf';
import { chromium, type Browser } from 'playwright-core';
import { pruneL1 } from '../../../src/engine/baselines/l1-prune';
import { magnitudeMasks, maskTransform } from '../../../src/engine/baselines/magnitude-prune';
import { quantizeModel } from '../../../src/engine/baselines/quantize';
import { exportModel } from '../../../src/engine/export/export-model';
import { storedForm } from '../../../src/engine/export/stored-form';
import { buildGraph } from '../../../src/engine/models/graph';
import { NETWORKS } from '../../../src/engine/models/registry';
import { applyWeightTransform } from '../../../src/engine/train/loop';
import { repoRoot } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

const CHROMIUM = '/usr/bin/chromium';
const input = { heightPx: 16, widthPx: 16, channels: 1 };
const present = existsSync(CHROMIUM);

let dir: Awaited<ReturnType<typeof tempFolder>>;
let server: Server;
let browser: Browser | undefined;
let baseUrl = '';

before(async () => {
  await tf.setBackend('cpu');
  dir = await tempFolder();
  const tfjs = join(repoRoot, 'node_modules', '@tensorflow', 'tfjs', 'dist', 'tf.min.js');
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = path === '/tf.min.js' ? tfjs : path === '/' ? '' : normalize(join(dir.path, path));
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/tf.min.js"></script>');
      return;
    }
    if (!file.startsWith(dir.path) && file !== tfjs) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  if (present) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
  await dir.cleanup();
});

/** The variants, each a model, its graph and its stored bits. */
function variants() {
  const graph = NETWORKS.unet.graph(1 / 16, false);
  const make = (seed: number) => {
    const model = buildGraph(graph, input, seed);
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length === 2) layer.setWeights([weights[0]!, tf.randomNormal(weights[1]!.shape, 0, 0.1, 'float32', seed + 7)]);
    }
    return model;
  };
  const q8 = make(2);
  quantizeModel(q8, 8);
  const q4 = make(3);
  quantizeModel(q4, 4);
  const l1 = pruneL1(graph, make(4), 0.5, input, 4);
  const magnitude = make(5);
  applyWeightTransform(magnitude, maskTransform(magnitudeMasks(magnitude, 0.7)));
  return [
    { name: 'float', model: make(1), graph, bits: 32, sparsity: 0 },
    { name: 'q8', model: q8, graph, bits: 8, sparsity: 0 },
    { name: 'q4', model: q4, graph, bits: 4, sparsity: 0 },
    { name: 'l1', model: l1.model, graph: l1.graph, bits: 32, sparsity: 0 },
    { name: 'magnitude', model: magnitude, graph, bits: 32, sparsity: 0.7 },
  ];
}

test('stock TensorFlow.js in headless Chromium reproduces the kernel\'s predictions of exported float, 8-bit, 4-bit, L1- and magnitude-pruned U-Nets within 1e-4', { skip: present ? false : `${CHROMIUM} is not installed (.ci/run installs Debian's chromium)` }, async () => {
  const x = tf.randomNormal([2, input.heightPx, input.widthPx, input.channels], 0, 1, 'float32', 11);
  const expected: Record<string, number[]> = {};
  for (const v of variants()) {
    await exportModel(v.model, v.graph, input, storedForm(v.graph, input.channels, v.bits, v.sparsity), join(dir.path, v.name), 'tfjs');
    expected[v.name] = [...(v.model.predict(x) as tf.Tensor).dataSync()];
  }
  const page = await browser!.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    const got = await page.evaluate(
      async ({ names, values, shape }) => {
        const tfjs = (globalThis as unknown as { tf: typeof tf & { version: { tfjs: string } } }).tf;
        await tfjs.setBackend('cpu');
        const out: Record<string, number[]> = {};
        for (const name of names) {
          const model = await tfjs.loadLayersModel(`/${name}/model.json`);
          out[name] = Array.from((model.predict(tfjs.tensor4d(values, shape as [number, number, number, number])) as tf.Tensor).dataSync());
        }
        return { out, version: tfjs.version.tfjs };
      },
      { names: Object.keys(expected), values: [...x.dataSync()], shape: x.shape },
    );
    assert.equal(got.version, tf.version_core, 'the page runs stock TensorFlow.js of the version the kernel runs');
    for (const [name, values] of Object.entries(expected)) {
      const browserValues = got.out[name]!;
      assert.equal(browserValues.length, values.length, name);
      const maxDifference = Math.max(...values.map((v, i) => Math.abs(v - browserValues[i]!)));
      assert.ok(maxDifference <= 1e-4, `${name}: ${maxDifference}`);
    }
  } finally {
    await page.close();
  }
});
