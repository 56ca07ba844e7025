/** The session's trained models and the steps every model statement shares. */
import type * as tf from '../engine/tf';
import type { SegmentationSample } from '../engine/data/samples';
import type { NetworkChoice } from '../engine/models/registry';
import type { NetworkGraph } from '../engine/models/graph';
import type { Evaluation } from '../engine/train/evaluate';
import type { Latency } from '../engine/train/latency';
import type { TrainResult } from '../engine/train/loop';
import type { Restart } from '../engine/train/restart';

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
  /** Bytes per weight as stored (4 for float32; quantized models less). */
  bitsPerWeight: number;
  /** Training, its trainMs summed over every attempt (see restarts). */
  train?: TrainResult;
  /** Earlier attempts of this training that collapsed to a constant prediction and were discarded. */
  restarts?: Restart[];
  evaluation?: Evaluation;
  latency?: Latency;
  /** When the training was restored from the training cache: when it was stored (ISO 8601). */
  restoredFrom?: string;
  /** How the model was made, e.g. "trained", "pruned l1 0.5 from small". */
  origin: string;
  /** Sparse size for magnitude-pruned models, bytes. */
  sparseBytes?: number;
  sparsity?: number;
}

export interface DatasetSamples {
  all: SegmentationSample[];
}
