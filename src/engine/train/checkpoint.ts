/**
 * Training checkpoints: the state of a training at the end of an epoch, on disk, so that a run
 * stopped by a crash, a killed kernel, a window reload or an interrupt continues from its last
 * finished epoch instead of starting again.
 *
 * A checkpoint holds everything the next epoch depends on: the model's weights, the optimiser's
 * state (Adam's step count, first and second moments and its running powers of beta1 and beta2),
 * the state of the seeded generator that shuffles, crops and augments, the best epoch so far and
 * its weights, the epochs since the validation loss last fell, and the history. Restoring all of
 * it makes the continued run take the same steps as an uninterrupted one, so on the same
 * backend the result is the same (test/unit/train/checkpoint.test.ts checks weights for
 * equality).
 *
 * File: one file per training, `LENGTH (uint32 LE) | JSON header | tensor bytes`, written to a
 * temporary name and renamed over the previous checkpoint, so a crash while saving leaves the
 * previous one intact.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '../tf';
import type { EpochRecord } from './loop';

export const CHECKPOINT_FORMAT_VERSION = 1;

export interface TrainCheckpoint {
  /** The last finished epoch (1-based). */
  epoch: number;
  /** When it was saved (ISO 8601). */
  savedAt: string;
  history: EpochRecord[];
  stepsRun: number;
  /** Training time before this checkpoint, summed over every earlier process that trained it. */
  elapsedMs: number;
  randomState: number;
  epochsWithoutImprovement: number;
  /** Set when training ended at this epoch (early stopping): a resumed run returns at once. */
  stopReason?: string;
  weights: tf.Tensor[];
  best?: { epoch: number; loss: number; weights: tf.Tensor[] };
  optimizer: { weights: { name: string; tensor: tf.Tensor }[]; accumulators: tf.Tensor[] };
}

/** Where a training's checkpoint is kept and read back. */
export interface CheckpointStore {
  load(): Promise<TrainCheckpoint | undefined>;
  save(checkpoint: TrainCheckpoint): Promise<void>;
}

interface TensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  byteOffset: number;
}

type Header = Omit<TrainCheckpoint, 'weights' | 'best' | 'optimizer'> & {
  format: number;
  tensors: TensorSpec[];
  best?: { epoch: number; loss: number };
  optimizerNames: string[];
  counts: { weights: number; best: number; optimizer: number; accumulators: number };
};

/** JSON that keeps NaN (a training without validation has NaN F1s). */
const encode = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { nonFiniteNumber: String(value) } : value);
const decode = (_key: string, value: unknown) =>
  value && typeof value === 'object' && 'nonFiniteNumber' in value && Object.keys(value).length === 1 ? Number((value as { nonFiniteNumber: string }).nonFiniteNumber) : value;

/** Writes the checkpoint's bytes (see the module comment). */
export async function encodeCheckpoint(checkpoint: TrainCheckpoint): Promise<Buffer> {
  const all = [...checkpoint.weights, ...(checkpoint.best?.weights ?? []), ...checkpoint.optimizer.weights.map((w) => w.tensor), ...checkpoint.optimizer.accumulators];
  const tensors: TensorSpec[] = [];
  const chunks: Buffer[] = [];
  let byteOffset = 0;
  for (const [i, tensor] of all.entries()) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const data = await tensor.data();
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    tensors.push({ name: String(i), shape: tensor.shape, dtype, byteOffset });
    chunks.push(Buffer.from(bytes));
    byteOffset += bytes.byteLength;
  }
  const { weights, best, optimizer, ...rest } = checkpoint;
  const header: Header = {
    ...rest,
    format: CHECKPOINT_FORMAT_VERSION,
    tensors,
    ...(best ? { best: { epoch: best.epoch, loss: best.loss } } : {}),
    optimizerNames: optimizer.weights.map((w) => w.name),
    counts: { weights: weights.length, best: best?.weights.length ?? 0, optimizer: optimizer.weights.length, accumulators: optimizer.accumulators.length },
  };
  const json = Buffer.from(JSON.stringify(header, encode), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.byteLength);
  return Buffer.concat([length, json, ...chunks]);
}

/** Reads bytes written by encodeCheckpoint; throws on anything else. */
export function decodeCheckpoint(bytes: Buffer): TrainCheckpoint {
  if (bytes.byteLength < 4) throw new Error('the checkpoint file is truncated');
  const jsonLength = bytes.readUInt32LE(0);
  if (4 + jsonLength > bytes.byteLength) throw new Error('the checkpoint file is truncated');
  const header = JSON.parse(bytes.subarray(4, 4 + jsonLength).toString('utf8'), decode) as Header;
  if (header.format !== CHECKPOINT_FORMAT_VERSION) throw new Error(`checkpoint format ${header.format} is not ${CHECKPOINT_FORMAT_VERSION}`);
  const data = bytes.subarray(4 + jsonLength);
  const tensors = header.tensors.map((spec) => {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const end = spec.byteOffset + count * 4;
    if (end > data.byteLength) throw new Error('the checkpoint file is truncated');
    const copy = new Uint8Array(data.subarray(spec.byteOffset, end)).buffer;
    return tf.tensor(spec.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy), spec.shape, spec.dtype);
  });
  const { counts } = header;
  let at = 0;
  const take = (n: number) => tensors.slice(at, (at += n));
  const weights = take(counts.weights);
  const bestWeights = take(counts.best);
  const optimizerTensors = take(counts.optimizer);
  const accumulators = take(counts.accumulators);
  const { tensors: _specs, format: _format, counts: _counts, optimizerNames, best, ...rest } = header;
  return {
    ...rest,
    weights,
    ...(best ? { best: { ...best, weights: bestWeights } } : {}),
    optimizer: { weights: optimizerTensors.map((tensor, i) => ({ name: optimizerNames[i]!, tensor })), accumulators },
  };
}

/** Every tensor a checkpoint holds (to dispose of it). */
export function checkpointTensors(checkpoint: TrainCheckpoint): tf.Tensor[] {
  return [...checkpoint.weights, ...(checkpoint.best?.weights ?? []), ...checkpoint.optimizer.weights.map((w) => w.tensor), ...checkpoint.optimizer.accumulators];
}

/** A checkpoint kept in one file; an unreadable file counts as none (and is removed). */
export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly path: string) {}

  async load(): Promise<TrainCheckpoint | undefined> {
    if (!existsSync(this.path)) return undefined;
    try {
      return decodeCheckpoint(await readFile(this.path));
    } catch {
      await rm(this.path, { force: true });
      return undefined;
    }
  }

  async save(checkpoint: TrainCheckpoint): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const staging = join(dirname(this.path), `.staging-${randomUUID()}`);
    try {
      await writeFile(staging, await encodeCheckpoint(checkpoint));
      await rename(staging, this.path);
    } finally {
      await rm(staging, { force: true });
    }
  }
}
