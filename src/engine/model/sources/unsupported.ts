/**
 * The message for a file no registered source reads: what it looks like (by content, with the
 * extension only to name a format that has no signature) and how to get a model this project reads.
 */
import * as path from 'node:path';
import { UserError } from '../../../shared/userError';
import { CONVERT_FIX } from './tfjsLayers';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
/** Formats without a signature to recognise, named by their usual extension. */
const OTHER_FRAMEWORK_EXTENSIONS = ['.pb', '.tflite', '.onnx', '.pt', '.pth'];

function startsWith(head: Uint8Array, signature: readonly number[], length = signature.length): boolean {
  return head.length >= Math.min(length, signature.length) && signature.slice(0, length).every((byte, i) => head[i] === byte);
}

/** A UserError saying why `file` (whose first bytes are `head`) is not read, listing what is. */
export function unsupportedModelFile(file: string, head: Uint8Array, supported: readonly string[]): UserError {
  // Four bytes are enough to tell HDF5 (`\x89HDF`) and zip (`PK\3\4`, Keras 3 `.keras`) apart from the rest.
  if (startsWith(head, HDF5_SIGNATURE, 4)) return new UserError('is a Keras HDF5 file, not a TensorFlow.js model.', file, CONVERT_FIX);
  if (startsWith(head, ZIP_SIGNATURE)) return new UserError('is a Keras v3 `.keras` archive (a zip), not a TensorFlow.js model.', file, CONVERT_FIX);
  const ext = path.extname(file).toLowerCase();
  if (OTHER_FRAMEWORK_EXTENSIONS.includes(ext)) {
    return new UserError(
      `is a ${ext} file, which TensorFlow.js cannot fine-tune.`,
      file,
      'Export a Keras model from the original framework and ' + CONVERT_FIX.charAt(0).toLowerCase() + CONVERT_FIX.slice(1),
    );
  }
  return new UserError(`is not a model file this project reads (it reads: ${supported.join('; ')}).`, file, 'Point at a model in one of those formats, or use a built-in model.');
}
