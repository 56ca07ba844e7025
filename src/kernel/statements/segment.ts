/** `segment MODEL on "FOLDER or GLOB" to "OUT"`: one 0/255 mask PNG per new image, with overlays. */
import { relative, resolve } from 'node:path';
import { imageFiles, segmentImages } from '../../engine/export/segment';
import { overlayImage, OVERLAY_COLOURS } from '../../engine/train/overlay';
import { tfjsTilePredictor } from '../../engine/train/predict';
import { throttledProgress, type ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, newOutputId, OVERLAY_MIME } from '../../protocol/outputs';
import { UserInputError } from '../user-errors';
import { workingOf } from './export';

const OVERLAYS_SHOWN = 4;

export async function runSegment(args: { model: string; images: string; path: string }, context: ExecutionContext): Promise<void> {
  const entry = context.session.model(args.model);
  await context.session.ensureBackend();
  const files = await imageFiles(args.images, context.baseDir);
  if (files.length === 0) throw new UserInputError(`no images in ${args.images} (a folder of ${'png, jpg, tif, ...'} files, or a glob relative to the notebook's folder)`);
  const outDir = resolve(context.baseDir, args.path);
  let segmented;
  try {
    segmented = await segmentImages(files, { predictor: tfjsTilePredictor(entry.model), input: entry.inputShape, working: workingOf(entry, context) }, outDir, {
      signal: context.signal,
      onProgress: throttledProgress(context, `${entry.name}: segmenting`),
      keep: OVERLAYS_SHOWN,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UserInputError(error.message);
    throw error;
  }
  const rows = segmented.map((s) => [relative(context.baseDir, s.file), `${s.widthPx}x${s.heightPx}`, formatNumber(s.foreground * 100, 3), relative(context.baseDir, s.maskFile)]);
  const text = `Segmented **${segmented.length}** images with ${entry.name} into \`${outDir}\`: one mask PNG per image (0 background, 255 foreground, at the image's own size; predicted at the training resolution${entry.train?.patchPx ? ', tile by tile' : ''}, foreground at probability >= 0.5).\n\n${markdownTable(['image', 'size', 'foreground (%)', 'mask'], rows.slice(0, 50))}${rows.length > 50 ? `\n\n(and ${rows.length - 50} more)` : ''}`;
  context.emit({ type: 'output', output: markdownOutput(text, [jsonItem({ model: entry.name, folder: outDir, masks: segmented.map((s) => ({ image: s.file, mask: s.maskFile, widthPx: s.widthPx, heightPx: s.heightPx, foreground: s.foreground })) })]) });
  const images = [];
  for (const s of segmented.filter((x) => x.sample && x.probabilities)) {
    const overlay = await overlayImage(s.sample!, s.probabilities!, s.sample!.id);
    images.push({ ...overlay, layers: overlay.layers.filter((l) => l.name === 'prediction').map((l) => ({ ...l, visible: true })), metrics: undefined });
  }
  const legend = [{ color: `#${OVERLAY_COLOURS.prediction.map((v) => v.toString(16).padStart(2, '0')).join('').toUpperCase()}`, label: 'prediction' }];
  context.emit({ type: 'output', output: { id: newOutputId('overlay'), items: [{ mime: OVERLAY_MIME, data: { title: `${entry.name} on new images`, images, legend } }, { mime: 'text/markdown', data: `Overlays of ${entry.name} on new images (open in CC-Net Studio to see them)` }] } });
}
