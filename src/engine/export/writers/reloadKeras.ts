/**
 * Loads an exported Keras file back into TensorFlow.js with the project's own model readers (the one
 * whose `accepts` takes the file's first bytes), so the export check reads the file as an import would.
 */
import * as tf from '@tensorflow/tfjs';
import { readModelFile } from '../../model/sources';

/** Reads back a file this project wrote as Keras; a file taken for another format is our bug, not the user's. */
export async function reloadKerasFile(file: string): Promise<tf.LayersModel> {
  const { artifacts, sourceId } = await readModelFile(file);
  if (sourceId !== 'keras-h5' && sourceId !== 'keras-v3') throw new Error(`${file}: written as a Keras file, but read as ${sourceId}`);
  return tf.loadLayersModel({ load: async () => artifacts });
}
