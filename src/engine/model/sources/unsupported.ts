/**
 * The message for a file no registered source reads (every format with a signature has its own
 * source, so only the extension is left to name a format that has none) and how to get a model this project reads.
 */
import * as path from 'node:path';
import { UserError } from '../../../shared/userError';

/** Formats without a signature to recognise, named by their usual extension. */
const OTHER_FRAMEWORK_EXTENSIONS = ['.pb', '.tflite', '.onnx', '.pt', '.pth'];
const SAVE_AS_KERAS = 'Save the model from its framework as Keras (`model.save("model.keras")`) or as a TensorFlow.js LayersModel, and point at that file.';

/** A UserError saying why `file` (whose first bytes are `head`) is not read, listing what is. */
export function unsupportedModelFile(file: string, supported: readonly string[]): UserError {
  const ext = path.extname(file).toLowerCase();
  if (OTHER_FRAMEWORK_EXTENSIONS.includes(ext)) {
    return new UserError(
      `is a ${ext} file, which TensorFlow.js cannot fine-tune.`,
      file,
      SAVE_AS_KERAS,
    );
  }
  return new UserError(`is not a model file this project reads (it reads: ${supported.join('; ')}).`, file, 'Point at a model in one of those formats, or use a built-in model.');
}
