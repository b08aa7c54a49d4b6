/** Prediction speed of a model on this machine: images per second of `predict` on a batch, after a warm-up. */
import * as tf from '@tensorflow/tfjs';

/** Images per second over `repeats` predictions of `images` (a [n, ...input] batch; not disposed here). */
export async function imagesPerSecond(model: tf.LayersModel, images: tf.Tensor, repeats = 3): Promise<number> {
  const once = async (): Promise<void> => {
    const out = model.predict(images) as tf.Tensor;
    await out.data();
    out.dispose();
  };
  // The first call compiles kernels and allocates: not what a user's later predictions cost.
  await once();
  const started = performance.now();
  for (let i = 0; i < repeats; i++) await once();
  const seconds = (performance.now() - started) / 1000;
  return seconds > 0 ? (images.shape[0] * repeats) / seconds : 0;
}
