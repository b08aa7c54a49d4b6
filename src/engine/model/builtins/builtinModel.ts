/**
 * What the project knows about one model that ships with it. Pure data plus a naming rule (no
 * tfjs, no file access), so the extension's pickers can list built-in models too.
 */
import type { PixelRange } from '../sources/modelSource';

export interface BuiltinModel {
  /** Used in finetune.json as `builtin:<id>`, e.g. `mobilenet_v2`. */
  readonly id: string;
  /** The model.json, relative to the package root (an absolute path is taken as is). */
  readonly asset: string;
  /** Short name for pickers and help: "MobileNetV2". */
  readonly label: string;
  /** Where the weights come from and what they were trained on, said honestly (pickers show it). */
  readonly provenance: string;
  /** The layer a new project cuts at (its last feature map). */
  readonly cutLayer: string;
  /** The square input side a new project uses. */
  readonly inputSize: number;
  /** The pixel range the model was trained with. */
  readonly pixelRange: PixelRange;
  /**
   * The block of a layer by this model's naming, for names the generic `block_N` rule does not cover
   * (null when the name is not this model's). Models that share the naming (a user's Keras export of
   * the same architecture) are grouped by it as well.
   */
  blockOf(layerName: string): string | null;
}
