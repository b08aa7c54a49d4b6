/**
 * Loads an exported Keras file back into TensorFlow.js with the project's own model readers (the one
 * whose `accepts` takes the file's first bytes), so the export check reads the file as an import would.
 */
import * as tf from '@tensorflow/tfjs';
import { open } from 'node:fs/promises';
import { kerasH5Source } from '../../model/sources/kerasH5';
import { kerasV3Source } from '../../model/sources/kerasV3';
import type { ModelSource } from '../../model/sources/modelSource';

const KERAS_READERS: readonly ModelSource[] = [kerasH5Source, kerasV3Source];

export async function reloadKerasFile(file: string): Promise<tf.LayersModel> {
  const head = await firstBytes(file, 512);
  const reader = KERAS_READERS.find((source) => source.accepts(head));
  if (!reader) throw new Error(`${file}: written as a Keras file, but no Keras reader accepts its first bytes`);
  const { artifacts } = await reader.read(file);
  return tf.loadLayersModel({ load: async () => artifacts });
}

async function firstBytes(file: string, count: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
