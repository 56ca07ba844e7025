/** The session's trained models and the steps every model statement shares. */
import type * as tf from '../engine/tf';
import { buildGraph } from '../engine/models/graph';
import type { SegmentationSample } from '../engine/data/samples';
import type { NetworkChoice } from '../engine/models/registry';
import type { NetworkGraph } from '../engine/models/graph';
import type { Evaluation } from '../engine/train/evaluate';
import type { Latency } from '../engine/train/latency';
import type { TrainResult } from '../engine/train/loop';
import type { Restart } from '../engine/train/restart';
import { storedForm, type StoredForm } from '../engine/export/stored-form';
import { onnxFileBytes } from '../engine/export/onnx-export';

export interface TrainedModel {
  name: string;
  choice: NetworkChoice;
  alpha: number;
  model: tf.LayersModel;
  /** The description the model was built from (pruning edits it). */
  graph: NetworkGraph;
  dataset: string;
  seed: number;
  inputShape: { heightPx: number; widthPx: number; channels: number };
  params: number;
  /** Bits of every convolution kernel as stored and evaluated (32: float32; see ../engine/export/stored-form.ts). */
  kernelBits: number;
  /** Training, its trainMs summed over every attempt (see restarts). */
  train?: TrainResult;
  /** Earlier attempts of this training that collapsed to a constant prediction and were discarded. */
  restarts?: Restart[];
  evaluation?: Evaluation;
  latency?: Latency;
  /** When the training was restored from the training cache: when it was stored (ISO 8601). */
  restoredFrom?: string;
  /** The training cache's key of this model's training (models derived from it key their own steps by it); absent when uncached. */
  trainingKey?: string;
  /** How the model was made, e.g. "trained", "pruned l1 0.5 from small". */
  origin: string;
  /** Fraction of kernel weights held at zero (magnitude-pruned models). */
  sparsity?: number;
  /** For the model card: the statements that made the model, the prediction it was selected by, how it was delivered at its bits. */
  provenance?: { statements: string[]; selectedBy?: Record<string, unknown>; delivery?: string; diskBudgetBytes?: number; complexity?: Record<string, number> };
}

/** A copy of the model's network with its weights (for deriving models from it). */
export function cloneModel(entry: TrainedModel): tf.LayersModel {
  const copy = buildGraph(entry.graph, entry.inputShape, entry.seed, entry.model.name);
  copy.setWeights(entry.model.getWeights());
  return copy;
}

/** How the model's tensors are stored in every export. */
export function storedFormOf(entry: TrainedModel): StoredForm {
  return storedForm(entry.graph, entry.inputShape.channels, entry.kernelBits, entry.sparsity ?? 0);
}

/** Bytes of the model.onnx that `export` writes for the model (exact, from its stored form). */
export function onnxBytesOf(entry: TrainedModel): number {
  return onnxFileBytes(entry.graph, entry.inputShape, storedFormOf(entry));
}

export interface DatasetSamples {
  all: SegmentationSample[];
}
