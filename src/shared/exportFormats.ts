/**
 * The export formats the project ships, as the CLI, VS Code's Export Model and the README describe them.
 * Pure data (no tfjs) so the extension can offer them; each id has its writer in src/engine/export/writers/.
 */

export interface ExportFormatInfo {
  /** The `--format` value and the writer id. */
  readonly id: string;
  /** Short name for pickers and messages. */
  readonly label: string;
  /** What the format is for: one line a person chooses by. */
  readonly purpose: string;
}

export const TFJS_FORMAT: ExportFormatInfo = {
  id: 'tfjs',
  label: 'TensorFlow.js LayersModel (model.json + weights)',
  purpose: 'Run it in Node or a browser with @tensorflow/tfjs; the format Fine-Tune Guide trains in.',
};

export const KERAS_FORMAT: ExportFormatInfo = {
  id: 'keras',
  label: 'Keras 3 archive (model.keras)',
  purpose: 'Load it in Python with keras.saving.load_model (Keras 3, any backend).',
};

export const H5_FORMAT: ExportFormatInfo = {
  id: 'h5',
  label: 'Keras HDF5 (model.h5)',
  purpose: 'Load it with tf.keras.models.load_model (TensorFlow 2.x, Keras 2) or keras.models.load_model (Keras 3).',
};

/** In the order pickers offer them; the first is the default. */
export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [TFJS_FORMAT, KERAS_FORMAT, H5_FORMAT];

export const DEFAULT_EXPORT_FORMAT = TFJS_FORMAT.id;
