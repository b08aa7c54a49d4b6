/**
 * Groups layers into blocks from their names (pure; the layer tree uses it). The generic rule
 * covers numbered blocks: MobileNetV2 (`block_3_expand`), VGG (`block3_conv1`), ResNet
 * (`conv2_block1_1_conv`) and EfficientNet (`block1a_dwconv`); each built-in model adds the names
 * it uses besides (MobileNetV2's stem and top).
 */
import { HEAD_BLOCK, HEAD_PREFIX } from './blockNames';
import { builtinModels } from './builtins';

export { HEAD_BLOCK, STEM_BLOCK, TOP_BLOCK } from './blockNames';

const NUMBERED = /^(.*?block_?\d+[a-z]?)(?:_|$)/i;

/** `block_3_expand` -> `block_3`; `expanded_conv_project` -> `block_0`; `Conv_1` -> `top`; null when none applies. */
export function blockOf(name: string): string | null {
  if (name.startsWith(HEAD_PREFIX)) return HEAD_BLOCK;
  const numbered = NUMBERED.exec(name);
  if (numbered) return numbered[1] ?? null;
  for (const model of builtinModels()) {
    const block = model.blockOf(name);
    if (block !== null) return block;
  }
  return null;
}
