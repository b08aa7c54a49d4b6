/** Names of the blocks that are not numbered (pure; shared by the block rules and freeze plans). */

/** The new head's layer names start with it. */
export const HEAD_PREFIX = 'head_';
/** Block of the new head's layers. */
export const HEAD_BLOCK = 'head';
/** Layers before the first block (MobileNetV2's `Conv1`, `bn_Conv1`, `Conv1_relu`, `Conv1_pad`). */
export const STEM_BLOCK = 'stem';
/** Layers after the last block (MobileNetV2's `Conv_1`, `Conv_1_bn`, `out_relu`). */
export const TOP_BLOCK = 'top';
