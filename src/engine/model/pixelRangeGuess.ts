/**
 * A default pixel range for a model whose files say nothing (pure): a model that scales its own
 * input with a Rescaling layer (1/127.5 with offset -1, or 1/255) before its first layer with
 * weights wants the raw bytes, 0..255; otherwise the usual TensorFlow.js 0..1. A guess only: New
 * Project asks, with it as the default.
 */
import type { PixelRange } from '../../protocol/config';
import type { GraphLayer } from './graphBlocks';

const SELF_SCALING: readonly { scale: number; offset: number }[] = [
  { scale: 1 / 127.5, offset: -1 },
  { scale: 1 / 255, offset: 0 },
];

function near(a: unknown, b: number): boolean {
  return typeof a === 'number' && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

/** The range the first layers suggest; layers with weights (Conv, Dense...) end the search. */
export function guessPixelRange(layers: readonly GraphLayer[], hasWeights: (layer: GraphLayer) => boolean): PixelRange {
  for (const layer of layers) {
    if (hasWeights(layer)) break;
    if (layer.className !== 'Rescaling') continue;
    const scale = layer.config?.scale;
    const offset = layer.config?.offset ?? 0;
    if (SELF_SCALING.some((s) => near(scale, s.scale) && near(offset, s.offset))) return '0..255';
  }
  return '0..1';
}
