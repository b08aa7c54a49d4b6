/**
 * A nested model's family, told from the layer names Keras Applications give (Teachable Machine's
 * backbone is a MobileNet whose container is just "model1"). "-like": names are a hint, not proof.
 */
import type { LayerInfo } from '../../protocol/host';

/** Most specific first: Xception's `block1_conv1` would also look like VGG's. */
const SIGNATURES: readonly { readonly family: string; readonly pattern: RegExp }[] = [
  { family: 'MobileNetV2', pattern: /^block_\d+_(expand|depthwise|project)$/ },
  { family: 'MobileNetV3', pattern: /^expanded_conv(_\d+)?\/squeeze_excite/ },
  { family: 'MobileNet', pattern: /^conv_dw_\d+$/ },
  { family: 'EfficientNet', pattern: /^block\d+[a-z]_(expand|dwconv|project)_conv$/ },
  { family: 'DenseNet', pattern: /^pool\d+_conv$/ },
  { family: 'ResNet', pattern: /^conv\d+_block\d+_\d+_conv$/ },
  { family: 'Inception', pattern: /^mixed\d+$/ },
  { family: 'Xception', pattern: /^block\d+_sepconv\d+$/ },
  { family: 'VGG', pattern: /^block\d+_conv\d+$/ },
];

/** "MobileNetV2-like" when at least two layers carry that family's names; undefined otherwise. */
export function architectureOf(layers: readonly LayerInfo[]): string | undefined {
  for (const { family, pattern } of SIGNATURES) {
    if (layers.filter((l) => pattern.test(l.name)).length >= 2) return `${family}-like`;
  }
  return undefined;
}
