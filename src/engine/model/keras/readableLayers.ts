/** Which Keras layer classes TensorFlow.js can build; anything else stops the import naming the layer. */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../../shared/userError';
// The Keras preprocessing layers tfjs lacks are readable once registered: register them before the map is asked.
import '../layers/register';

/** Keras classes that run Python code or are not layers tfjs has (a clearer reason than "unknown"). */
const PYTHON_CODE = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', 'TorchModuleWrapper', 'JaxLayer', 'FlaxLayer']);

export function isContainerClass(className: string): boolean {
  return className === 'Sequential' || className === 'Functional' || className === 'Model';
}

/** Throws a UserError naming the layer, its class and what to do when tfjs cannot build it. */
export function checkReadable(layerName: string, className: string, file: string): void {
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  if (!PYTHON_CODE.has(className) && className in known) return;
  const why = PYTHON_CODE.has(className)
    ? 'runs Python code that is not saved in the file'
    : `is not a layer TensorFlow.js ${tf.version_layers} has (a custom class?)`;
  throw new UserError(
    `has the layer "${layerName}" of class ${className}, which ${why}, so the model cannot be read.`,
    file,
    `Rebuild the model in Keras without "${layerName}" (use standard layers, e.g. Rescaling instead of a Lambda that scales), or cut the model before it and save that, then import it again.`,
  );
}
