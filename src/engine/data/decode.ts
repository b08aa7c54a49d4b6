/**
 * Reads images with sharp. Every image becomes inputSize x inputSize 8-bit RGB (or grey, see grey.ts):
 * - EXIF orientation is applied (phone photos come out upright);
 * - `fit: 'cover'`: scaled so the shorter side fills the square, then centre-cropped. This keeps shapes
 *   undistorted (a stretched image would teach the model squashed objects); the cost is that the edges
 *   of a long side are cut off;
 * - grey, palette and 16-bit images are converted to 8-bit sRGB; alpha is dropped (as Keras and PIL do),
 *   after sharp's premultiplied resize, so fully transparent pixels come out black. These are the exact
 *   steps of the exported model's README snippet (src/engine/export), so predictions see what training saw;
 * - animated GIF/WebP: the first frame.
 * Size limit: images over MAX_INPUT_PIXELS are SKIPPED with a warning (found from the header, before
 * any decoding). Below it sharp decodes sequentially and shrinks on load; the worst case (interlaced PNG,
 * progressive JPEG) holds the whole image, about 3.4 bytes per pixel, so the limit bounds one decode at
 * roughly 230 MB.
 */
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import { SNIFF_BYTES, sniffImageFormat, IMAGE_EXTENSIONS_TEXT } from './formats';
import { rgbToGrey } from './grey';
import type { ImageChannels } from './types';
import { unreadableReason } from './readFailure';

/** Largest image decoded: 8192 x 8192 (67 megapixels). */
export const MAX_INPUT_PIXELS = 8192 * 8192;

/** Why a file cannot be used, or null when its header looks fine. */
export async function probeImage(file: string, size: number): Promise<string | null> {
  if (size === 0) return 'is empty (0 bytes).';
  let head: Buffer;
  try {
    const handle = await fs.open(file, 'r');
    try {
      head = Buffer.alloc(SNIFF_BYTES);
      await handle.read(head, 0, SNIFF_BYTES, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unreadableReason(code) ?? `cannot be read (${code ?? String(error)}).`;
  }
  if (!sniffImageFormat(head)) {
    return `is not a ${IMAGE_EXTENSIONS_TEXT} image (its content does not start with an image signature).`;
  }
  try {
    const meta = await sharp(file, { limitInputPixels: false }).metadata();
    const { width, height } = meta.autoOrient ?? meta;
    if (!width || !height) return 'has no image size in its header.';
    if (width * height > MAX_INPUT_PIXELS) {
      return `is ${width}x${height} pixels, over the ${Math.round(MAX_INPUT_PIXELS / 1e6)}-megapixel limit; shrink it (e.g. to 2048 pixels on the long side).`;
    }
  } catch (error) {
    return `has a corrupt header (${errorText(error)}).`;
  }
  return null;
}

/** Decodes one image to HWC 8-bit RGB (or grey) of side `inputSize`; throws on a corrupt or truncated file. */
export async function decodeImage(file: string, inputSize: number, channels: ImageChannels = 3): Promise<Uint8Array> {
  const { data, info } = await sharp(file, {
    limitInputPixels: MAX_INPUT_PIXELS,
    sequentialRead: true,
    // Truncated files fail; harmless libjpeg warnings (e.g. extra bytes between markers) do not.
    failOn: 'truncated',
  })
    .autoOrient()
    .resize(inputSize, inputSize, { fit: 'cover', position: 'centre' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.width !== inputSize || info.height !== inputSize || info.channels !== 3) {
    throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${inputSize}x${inputSize}x3`);
  }
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return channels === 1 ? rgbToGrey(rgb) : rgb;
}

/** Bytes to floats in [0, 1], as the training batches see an image un-augmented. */
export function toUnitFloat(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

/** sharp's messages are libvips lines; keep the first, without the trailing newline. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}
