/**
 * `ccnet segment MODEL_DIR IMAGES --out DIR`: masks for new images from an exported model
 * folder (model.onnx through ONNX Runtime, or model.json + weights.bin through TensorFlow.js),
 * in this process. One 0/255 mask PNG per image at the image's own size (see
 * ../engine/export/segment.ts); --json prints {model, format, folder, masks: [...]}.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendPreference } from '../engine/backend/select';
import { loadExport } from '../engine/export/load-export';
import { imageFiles, segmentImages } from '../engine/export/segment';
import { UsageError, type Command } from './command';

export function segmentCommand(log: (line: string) => void): Command {
  return {
    synopsis: 'ccnet segment MODEL_DIR IMAGES --out DIR [--json]',
    summary: 'masks for new images from an exported model (ONNX or TensorFlow.js)',
    details: [
      'MODEL_DIR is a folder written by export (ccnet train/compress --out): model.onnx (run by ONNX Runtime, the',
      'onnxruntime-node package) or model.json + weights.bin (TensorFlow.js), with model-card.json. IMAGES is a',
      'folder (every image file in it) or a glob. Each image is predicted at the resolution the network was trained',
      'at (the card\'s working size or scale), tile by tile for networks trained on patches, as evaluation does;',
      'DIR gets one PNG per image, 0 background and 255 foreground (probability >= 0.5), at the image\'s own size.',
      '  --out DIR    the folder for the masks',
      '  --json       print {model, format, folder, masks: [{image, mask, widthPx, heightPx, foreground}]}',
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, json: { type: 'boolean', default: false } } });
      if (positionals.length !== 2) throw new UsageError('give an exported model folder and the images: ccnet segment MODEL_DIR IMAGES --out DIR');
      if (!values.out) throw new UsageError('give the folder for the masks: --out DIR');
      const [modelDir, images] = positionals as [string, string];
      const loaded = await loadExport(resolve(modelDir));
      try {
        if (loaded.format === 'tfjs') await selectBackend((process.env.CCNET_BACKEND ?? 'auto') as BackendPreference);
        const files = await imageFiles(images, process.cwd());
        if (files.length === 0) throw new UsageError(`no images in ${images}`);
        let last = 0;
        const masks = await segmentImages(files, loaded, resolve(values.out), {
          signal,
          onProgress: (done, total) => {
            if (Date.now() - last > 1000 || done === total) log(`segmenting ${done}/${total}`);
            last = Date.now();
          },
        });
        const summary = { model: loaded.card?.model ?? modelDir, format: loaded.format, folder: resolve(values.out), masks: masks.map((m) => ({ image: m.file, mask: m.maskFile, widthPx: m.widthPx, heightPx: m.heightPx, foreground: m.foreground })) };
        process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `wrote ${masks.length} masks to ${summary.folder} (${loaded.format} model ${summary.model})\n`);
        return 0;
      } finally {
        await loaded.dispose();
      }
    },
  };
}
