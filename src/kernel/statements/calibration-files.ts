/** `load calibration`, `save`, and the output that shows a calibration (its fit, plots and measures). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fitProblem, serializeCalibration, type Calibration } from '../../engine/ccnet/calibration-file';
import { formatAlpha } from '../../engine/ccnet/select';
import { readCalibrationFile } from '../calibrations';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, plotOutput } from '../../protocol/outputs';
import { UserInputError } from '../user-errors';
import { degradationPlot, fitTable, measureTable, slopePlot } from '../views/calibration';

export async function showCalibration(context: ExecutionContext, name: string, calibration: Calibration): Promise<void> {
  const fit = calibration.fit;
  const plan = calibration.plan;
  const header = `Calibration **${name}**: ${plan.network}, base width ${formatNumber(plan.baseWidth, 4)}, input ${plan.inputSizePx}x${plan.inputSizePx}x${plan.channels}${plan.patchPx ? ' (patches of images at their working size)' : ''}, alphas ${plan.alphas.map(formatAlpha).join(', ')}, ${plan.epochs} epochs, seeds ${plan.seeds.join(', ')}, trained on ${calibration.backend}.${plan.recipe ? ` Training: ${plan.recipe}.` : ''}`;
  if (!fit) {
    context.emit({ type: 'output', output: markdownOutput(`${header}\n\nNo fit yet: ${fitProblem(calibration) ?? 'not enough runs'}.`, [jsonItem(JSON.parse(serializeCalibration(calibration)))]) });
    return;
  }
  context.emit({ type: 'output', output: markdownOutput(`${header}\n\n${fitTable(fit)}`, [jsonItem(JSON.parse(serializeCalibration(calibration)))], { calibration: name }) });
  context.emit({ type: 'output', output: plotOutput(degradationPlot(fit), fitTable(fit)) });
  context.emit({ type: 'output', output: plotOutput(slopePlot(fit), 'Slope against complexity (open in CC-Net Studio to see the plot)') });
  context.emit({ type: 'output', output: markdownOutput(`Complexity measures scored by leave-one-dataset-out error of the F1 prediction:\n\n${measureTable(fit, 'f1')}`) });
}

export async function runLoadCalibration(args: { path: string; name: string }, context: ExecutionContext): Promise<void> {
  const path = resolve(context.baseDir, args.path);
  const calibration = await readCalibrationFile(path);
  context.session.calibrations.set(args.name, calibration);
  await showCalibration(context, args.name, calibration);
}

export async function runSave(args: { name: string; path: string }, context: ExecutionContext): Promise<void> {
  const calibration = context.session.calibrations.get(args.name);
  if (!calibration) {
    if (context.session.models.has(args.name)) throw new UserInputError(`${args.name} is a model; save writes calibrations (use export ${args.name} to "FOLDER" for models)`);
    throw new UserInputError(`calibration '${args.name}' is not defined in this session; make it with calibrate or load calibration`);
  }
  const path = resolve(context.baseDir, args.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, serializeCalibration(calibration));
  context.emit({ type: 'output', output: markdownOutput(`Saved calibration **${args.name}** to \`${path}\`.`, [jsonItem({ calibration: args.name, path })]) });
}
