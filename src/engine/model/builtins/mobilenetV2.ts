/** The built-in MobileNetV2, made by `npm run make:model` (scripts/make-builtin-model.mjs). */
import { STEM_BLOCK, TOP_BLOCK } from '../blockNames';
import type { BuiltinModel } from './builtinModel';

export const mobilenetV2: BuiltinModel = {
  id: 'mobilenet_v2',
  asset: 'assets/models/mobilenet_v2/model.json',
  label: 'MobileNetV2',
  provenance:
    "The backbone of nsfwjs 4.4.0's classifier (MIT): MobileNetV2 pretrained on ImageNet, then trained on NSFW images; its classifier removed",
  cutLayer: 'out_relu',
  // Fast on CPU; MobileNetV2's convolutions accept any size from 32 px.
  inputSize: 96,
  pixelRange: '0..1',
  blockOf(name) {
    // Keras names the first inverted-residual block `expanded_conv` (no number); the rest are `block_N_*`.
    if (name.startsWith('expanded_conv')) return 'block_0';
    if (/^(Conv1|bn_Conv1)(_|$)/.test(name)) return STEM_BLOCK;
    if (/^(Conv_1|out_relu)(_|$)/.test(name)) return TOP_BLOCK;
    return null;
  },
};
