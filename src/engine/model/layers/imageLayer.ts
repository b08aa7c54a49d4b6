/**
 * What the Keras preprocessing layers share: reading their config as tfjs hands it over (keys and
 * string values camelCased: `fill_mode: "reflect"`, `mode: "horizontalAndVertical"`), one seeded
 * random sequence per layer, and "identity unless training" for the random ones.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, seedFrom } from '../../data/random';
import { stepSeed } from './trainingStep';

export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
export type LayerConfig = LayerArgs & Record<string, unknown>;
export type Kwargs = Record<string, unknown>;

/** `horizontalAndVertical` -> `horizontal_and_vertical`: Keras' spelling of a string value. */
export function snakeCase(value: string): string {
  return value.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A string option checked against Keras' values; tfjs' camelCased form is accepted. */
export function choice<T extends string>(layer: string, field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  const text = typeof value === 'string' ? snakeCase(value) : String(value);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new Error(`${layer}: ${field} ${JSON.stringify(value)} is not supported; use one of ${allowed.join(', ')}.`);
  }
  return text as T;
}

/** Keras' `factor`: a number f means [-f, f] (or [f, f] with `symmetric` false); a pair is [lower, upper]. */
export function factorRange(layer: string, field: string, value: unknown, symmetric = true): [number, number] {
  if (typeof value === 'number' && Number.isFinite(value)) return symmetric ? [-Math.abs(value), Math.abs(value)] : [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const [lower, upper] = value as [number, number];
    if (lower > upper) throw new Error(`${layer}: ${field} [${lower}, ${upper}] has its lower bound above its upper bound.`);
    return [lower, upper];
  }
  throw new Error(`${layer}: ${field} must be a number or a pair of numbers, got ${JSON.stringify(value)}.`);
}

/** Keras saves `seed: null` for an unseeded layer. */
function seedOf(config: LayerConfig): number | null {
  return typeof config.seed === 'number' && Number.isInteger(config.seed) ? config.seed : null;
}

/**
 * A layer that changes images only while training (Keras' RandomFlip, RandomRotation...). In the
 * phase loop each call's draws come from (run seed, layer name, phase, epoch, batch) (./trainingStep),
 * so a run's `data.seed` reproduces them and they do not depend on what ran before; they are not
 * Keras' own numbers. Outside the loop, the layer's own `seed` (or its name) starts one sequence.
 */
export abstract class RandomImageLayer extends tf.layers.Layer {
  protected readonly seed: number | null;
  private readonly outsideLoop: () => number;
  private random: () => number;

  constructor(config: LayerConfig) {
    super(config);
    this.seed = seedOf(config);
    const sequence = createRandom(this.seed ?? seedFrom('unseeded', this.name));
    this.outsideLoop = () => Math.floor(sequence() * 2 ** 32);
    this.random = sequence;
  }

  /** Uniform draws in [low, high), one per image. */
  protected uniform(count: number, low: number, high: number): number[] {
    return Array.from({ length: count }, () => low + (high - low) * this.random());
  }

  /** The augmented batch (called inside tf.tidy, training only). */
  protected abstract augment(images: tf.Tensor4D): tf.Tensor4D;

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (kwargs.training !== true) return input;
    this.random = createRandom(stepSeed('augment-layer', this.name, this.outsideLoop));
    return tf.tidy(() => {
      const images = input.rank === 3 ? (input.expandDims(0) as tf.Tensor4D) : (input.toFloat() as tf.Tensor4D);
      const out = this.augment(images.toFloat());
      return input.rank === 3 ? out.squeeze([0]) : out;
    });
  }

  protected baseConfig(extra: tf.serialization.ConfigDict): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...extra, seed: this.seed };
  }
}
