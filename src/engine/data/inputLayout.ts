/**
 * How decoded images must be shaped for a model's input: `[null, h, w, c]` takes images as they are
 * (c = 1 gets grey, c = 3 RGB); a channel-less `[null, h, w]` (a 28x28 MNIST-style model) gets grey
 * images without the channel axis; a flat `[null, n]` (an MLP without a Flatten) gets grey when n is
 * a square (784 = 28 x 28), RGB when n / 3 is (2352 = 28 x 28 x 3).
 */
import type { ImageChannels } from './types';

export interface InputLayout {
  /** Square side the images are resized to. */
  readonly size: number;
  readonly channels: ImageChannels;
  /** Shape of one sample as the model takes it, e.g. [28, 28, 1], [28, 28] or [784]. */
  readonly sampleShape: readonly number[];
}

function squareSide(n: number): number | null {
  const side = Math.round(Math.sqrt(n));
  return side > 0 && side * side === n ? side : null;
}

/** The layout for a model input shape (batch first); null when it is not an image input this reads. */
export function inputLayoutOf(shape: readonly (number | null)[]): InputLayout | null {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null || !Number.isInteger(d) || (d as number) < 1)) return null;
  const [a, b, c] = dims as number[];
  if (dims.length === 3 && a === b && (c === 1 || c === 3)) return { size: a as number, channels: c, sampleShape: [a as number, a as number, c] };
  if (dims.length === 2 && a === b) return { size: a as number, channels: 1, sampleShape: [a as number, a as number] };
  if (dims.length === 1) {
    const grey = squareSide(a as number);
    if (grey !== null) return { size: grey, channels: 1, sampleShape: [a as number] };
    const rgb = (a as number) % 3 === 0 ? squareSide((a as number) / 3) : null;
    if (rgb !== null) return { size: rgb, channels: 3, sampleShape: [a as number] };
  }
  return null;
}
