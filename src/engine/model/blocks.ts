/**
 * Groups layers into blocks from their names (pure; the layer tree uses it). MobileNetV2 names its
 * layers `block_3_expand`, `block_3_depthwise_BN`, ...; the same rule covers VGG (`block3_conv1`),
 * ResNet (`conv2_block1_1_conv`) and EfficientNet (`block1a_dwconv`).
 */

/** Block of the new head's layers (their names start with `head_`). */
export const HEAD_BLOCK = 'head';
/** Layers before the first block (MobileNetV2's `Conv1`, `bn_Conv1`, `Conv1_relu`, `Conv1_pad`). */
export const STEM_BLOCK = 'stem';
/** Layers after the last block (MobileNetV2's `Conv_1`, `Conv_1_bn`, `out_relu`). */
export const TOP_BLOCK = 'top';

const NUMBERED = /^(.*?block_?\d+[a-z]?)(?:_|$)/i;

/** `block_3_expand` -> `block_3`; `expanded_conv_project` -> `block_0`; `Conv_1` -> `top`; null when none applies. */
export function blockOf(name: string): string | null {
  if (name.startsWith('head_')) return HEAD_BLOCK;
  const numbered = NUMBERED.exec(name);
  if (numbered) return numbered[1] ?? null;
  // MobileNetV2's first inverted-residual block has no number.
  if (name.startsWith('expanded_conv')) return 'block_0';
  if (/^(Conv1|bn_Conv1)(_|$)/.test(name)) return STEM_BLOCK;
  if (/^(Conv_1|out_relu)(_|$)/.test(name)) return TOP_BLOCK;
  return null;
}
