/**
 * The seam for model file formats. A source reads one format into what the rest of the engine
 * works on: a flat TensorFlow.js LayersModel topology (nested models already flattened into leaf
 * layers) and its weights. Formats are told apart by content, never by extension: a `.keras`
 * name may hold HDF5. Register a new source in `./index.ts`.
 */
import type * as tf from '@tensorflow/tfjs';

import type { PixelRange } from '../../../protocol/config';

export type { PixelRange };

/** A model read from disk, in TensorFlow.js form. */
export interface ImportedModel {
  /** `modelTopology` as `tf.models.modelFromJSON` takes it; `weightSpecs`/`weightData` named `<layer>/<variable>`. */
  readonly artifacts: tf.io.ModelArtifacts;
  /** The format, for messages and `inspect`: e.g. "Keras 3 .keras archive". */
  readonly formatLabel: string;
  /** Class names that ship with the model (Teachable Machine metadata.json, labels.txt), in output order. */
  readonly labels?: readonly string[];
  /** Pixel range stated by files that ship with the model; undefined when nothing says. */
  readonly pixelRange?: PixelRange;
  /** Square input side stated by files that ship with the model (Teachable Machine `imageSize`). */
  readonly imageSize?: number;
  /**
   * For nested models: each leaf layer's containers, outermost first, as `{ name, className }`
   * (e.g. `[{ name: 'sequential_1', className: 'Sequential' }, { name: 'model1', className: 'Functional' }]`);
   * absent or empty for a layer of the top model. The Layers view shows them as groups.
   */
  readonly containers?: Readonly<Record<string, readonly ModelContainer[]>>;
}

export interface ModelContainer {
  readonly name: string;
  readonly className: string;
}

export interface ModelSource {
  /** Stable id: `tfjs-layers`, `keras-h5`, `keras-v3`. */
  readonly id: string;
  /** For messages and pickers: "TensorFlow.js LayersModel (model.json)". */
  readonly label: string;
  /** File name patterns a file picker offers for this format (content still decides). */
  readonly extensions: readonly string[];
  /** True when the file's first bytes (`head`, up to 512) are this format. */
  accepts(head: Uint8Array): boolean;
  /** Reads the file (a folder is passed as its `model.json`); bad content throws a UserError naming the file. */
  read(file: string): Promise<ImportedModel>;
}
