/**
 * The one mapping from 8-bit pixel values to the range a model expects (`model.pixelRange` in
 * finetune.json): value = byte * scale + offset. Training batches, prediction and the exported
 * model's check all scale through `pixelScaling`, so they cannot drift apart.
 */
import type { PixelRange } from '../../protocol/config';

export type { PixelRange };

/** Every range finetune.json accepts, in the order messages list them. */
export const PIXEL_RANGES: readonly PixelRange[] = ['0..1', '-1..1', '0..255'];

/** value = byte * scale + offset. */
export interface PixelScaling {
  readonly scale: number;
  readonly offset: number;
}

const SCALINGS: Readonly<Record<PixelRange, PixelScaling>> = {
  '0..1': { scale: 1 / 255, offset: 0 },
  '-1..1': { scale: 1 / 127.5, offset: -1 },
  '0..255': { scale: 1, offset: 0 },
};

export function isPixelRange(value: unknown): value is PixelRange {
  return typeof value === 'string' && (PIXEL_RANGES as readonly string[]).includes(value);
}

export function pixelScaling(range: PixelRange): PixelScaling {
  return SCALINGS[range];
}

/** The lowest and highest value a pixel takes in `range`. */
export function pixelBounds(range: PixelRange): [number, number] {
  const { scale, offset } = SCALINGS[range];
  return [offset, 255 * scale + offset];
}

/** For READMEs and logs: "pixel / 127.5 - 1 (range -1..1)". */
export function describePixelRange(range: PixelRange): string {
  const formula = range === '0..1' ? 'pixel / 255' : range === '-1..1' ? 'pixel / 127.5 - 1' : 'pixel as is';
  return `${formula} (range ${range})`;
}
