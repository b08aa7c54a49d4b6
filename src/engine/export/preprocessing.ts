/**
 * `preprocessing.json`: how an image becomes the model's input. Kept small and explicit so that the
 * README's snippets (Node and browser) can apply exactly the same steps as training did.
 */
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../shared/userError';
import { rgbToGrey } from '../data/grey';
import { isPixelRange, PIXEL_RANGES, pixelScaling, type PixelRange } from '../data/pixelRange';

/** Pixel value range the model expects (`model.pixelRange`): bytes / 255, bytes / 127.5 - 1, or bytes as they are. */
export type PixelScale = PixelRange;

export interface Preprocessing {
  /** Square side in pixels. */
  readonly inputSize: number;
  readonly scale: PixelScale;
  /** How a non-square image is fitted (sharp's `fit`): `cover` crops the centre (default). */
  readonly fit: 'cover' | 'contain' | 'fill';
  /** 3 = RGB (default), 1 = grey (BT.601 luma of the RGB bytes, as training decodes; see data/grey.ts). */
  readonly channels?: 1 | 3;
}

const SCALES = PIXEL_RANGES;
const FITS: readonly Preprocessing['fit'][] = ['cover', 'contain', 'fill'];

/** Checks a parsed preprocessing.json (extra fields are allowed and ignored). */
export function parsePreprocessing(value: unknown, file: string): Preprocessing {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const inputSize = raw.inputSize;
  if (typeof inputSize !== 'number' || !Number.isInteger(inputSize) || inputSize < 1) {
    throw new UserError('needs "inputSize", the square input side in pixels.', file, 'Set it to the model\'s input size, e.g. 96.', 'inputSize');
  }
  const scale = raw.scale ?? '0..1';
  if (!isPixelRange(scale)) {
    throw new UserError(`has an unknown "scale" ${JSON.stringify(scale)}.`, file, `Use one of ${SCALES.map((s) => `"${s}"`).join(', ')}.`, 'scale');
  }
  const fit = raw.fit ?? 'cover';
  if (!FITS.includes(fit as Preprocessing['fit'])) {
    throw new UserError(`has an unknown "fit" ${JSON.stringify(fit)}.`, file, `Use one of ${FITS.map((s) => `"${s}"`).join(', ')}.`, 'fit');
  }
  const channels = raw.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new UserError(`has "channels" ${JSON.stringify(channels)}; it must be 1 (grey) or 3 (RGB).`, file, 'Set it to the number of channels of the model\'s input.', 'channels');
  }
  return { inputSize, scale, fit: fit as Preprocessing['fit'], channels };
}

/** Decodes an image file into the model's input: [size, size, channels] float32 (the caller disposes it). */
export async function imageToInput(file: string, pre: Preprocessing): Promise<tf.Tensor3D> {
  const { data, info } = await sharp(file)
    .rotate()
    .resize(pre.inputSize, pre.inputSize, { fit: pre.fit })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: decoded to ${info.channels} channels, expected 3`);
  const rgb = new Uint8Array(data);
  const channels = pre.channels ?? 3;
  return tf.tidy(() => {
    const bytes = tf.tensor3d(channels === 1 ? rgbToGrey(rgb) : rgb, [info.height, info.width, channels], 'int32').toFloat();
    const { scale, offset } = pixelScaling(pre.scale);
    return bytes.mul<tf.Tensor3D>(scale).add<tf.Tensor3D>(offset);
  });
}
