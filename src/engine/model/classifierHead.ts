/**
 * The classifier at the end of a base model, read from its graph (pure; no tfjs): the last Dense
 * (behind any trailing Activation/Softmax/Dropout), its activation, and the layer feeding it, which
 * is where an MLP is cut (its penultimate layer). And what the new head and loss must be, in
 * particular for a single-sigmoid binary head (Dense(1, sigmoid)) that is kept.
 */
import { UserError } from '../../shared/userError';
import type { GraphLayer } from './graphBlocks';

/** Identity at inference: stepped over when looking for the classifier and for the layer feeding it. */
const PASS_THROUGH = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']);
const ACTIVATION_LAYERS = new Set(['Activation', 'Softmax']);

export type ClassifierKind = 'softmax' | 'sigmoid-binary' | 'other';

export interface ClassifierHead {
  /** The last Dense layer. */
  readonly dense: string;
  readonly units: number;
  /** Its effective activation: the Dense's own, or that of an Activation/Softmax layer after it. */
  readonly activation: string;
  readonly kind: ClassifierKind;
  /** The layer feeding the Dense (Dropouts stepped over): the penultimate layer, where to cut. Null if it is the input. */
  readonly cutLayer: string | null;
}

/** What the trained model's last layer and loss are. */
export interface HeadTraining {
  readonly units: number;
  readonly activation: 'softmax' | 'sigmoid';
  readonly loss: 'categoricalCrossentropy' | 'binaryCrossentropy';
  /**
   * Targets: one-hot rows, or for one sigmoid unit the column of the second class (classes sorted as
   * the data folder's; Keras' `label_mode="binary"` uses the same order).
   */
  readonly targets: 'oneHot' | 'secondClass';
}

/** Where a keep-the-classifier choice came from, so errors name the file and field. */
export interface HeadSource {
  readonly file: string;
  readonly field: string;
}

function activationOf(layer: GraphLayer): string {
  if (layer.className === 'Softmax') return 'softmax';
  const value = layer.config?.activation;
  return typeof value === 'string' ? value : 'linear';
}

/** The classifier at the single output, or null (several outputs, or no Dense at the end). */
export function findClassifier(layers: readonly GraphLayer[]): ClassifierHead | null {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumed = new Set(layers.flatMap((l) => l.inbound));
  const outputs = layers.filter((l) => !consumed.has(l.name));
  if (outputs.length !== 1) return null;
  let layer = outputs[0] as GraphLayer;
  let activation: string | null = null;
  while (ACTIVATION_LAYERS.has(layer.className) || PASS_THROUGH.has(layer.className)) {
    if (ACTIVATION_LAYERS.has(layer.className) && activation === null) activation = activationOf(layer);
    const previous = layer.inbound.length === 1 ? byName.get(layer.inbound[0] as string) : undefined;
    if (!previous) return null;
    layer = previous;
  }
  if (layer.className !== 'Dense' || layer.inbound.length !== 1) return null;
  const units = Number(layer.config?.units);
  const effective = activation ?? activationOf(layer);
  let feeding = byName.get(layer.inbound[0] as string);
  while (feeding && PASS_THROUGH.has(feeding.className) && feeding.inbound.length === 1) feeding = byName.get(feeding.inbound[0] as string);
  const kind: ClassifierKind = effective === 'softmax' ? 'softmax' : units === 1 && effective === 'sigmoid' ? 'sigmoid-binary' : 'other';
  return { dense: layer.name, units, activation: effective, kind, cutLayer: feeding && feeding.className !== 'InputLayer' ? feeding.name : null };
}

/** Where to cut an MLP (or any model ending in Dense layers): the input of its last Dense. */
export function penultimateLayer(layers: readonly GraphLayer[]): string | null {
  return findClassifier(layers)?.cutLayer ?? null;
}

/**
 * The head to train for `numClasses`. A new head is softmax + categorical cross-entropy, as today.
 * A kept softmax head must have one unit per class; a kept Dense(1, sigmoid) head serves exactly 2
 * classes with binary cross-entropy.
 */
export function headTraining(head: ClassifierHead | null, numClasses: number, keep: boolean, source: HeadSource): HeadTraining {
  if (!keep) return { units: numClasses, activation: 'softmax', loss: 'categoricalCrossentropy', targets: 'oneHot' };
  const replace = 'Let the head be replaced (a new softmax classifier for your classes).';
  if (!head) throw new UserError('asks to keep the model\'s classifier, but the model does not end in a Dense classifier.', source.file, replace, source.field);
  if (head.kind === 'sigmoid-binary') {
    if (numClasses !== 2) {
      throw new UserError(`keeps a one-unit sigmoid classifier ("${head.dense}"), which tells 2 classes apart, but the data has ${numClasses}.`, source.file, `Use 2 class folders, or: ${replace}`, source.field);
    }
    return { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', targets: 'secondClass' };
  }
  if (head.kind === 'softmax') {
    if (head.units !== numClasses) {
      throw new UserError(`keeps the classifier "${head.dense}" with ${head.units} classes, but the data has ${numClasses}.`, source.file, `Use one folder per class of the model, or: ${replace}`, source.field);
    }
    return { units: numClasses, activation: 'softmax', loss: 'categoricalCrossentropy', targets: 'oneHot' };
  }
  throw new UserError(`keeps the classifier "${head.dense}", whose activation is "${head.activation}" (not softmax, nor one sigmoid unit).`, source.file, replace, source.field);
}

/** The two class probabilities of a one-unit sigmoid output p: [first class, second class]. */
export function binaryProbabilities(p: number): [number, number] {
  return [1 - p, p];
}
