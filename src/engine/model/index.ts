/** Public API of models: loading, inspecting, preparing (cut + head) and freeze plans. */
export { prepareModel, type PreparedModel, type Preprocessing } from './prepare';
export { loadBaseModel, type LoadModelOptions, type LoadedBaseModel } from './load';
export { readModelArtifacts, writeModelArtifacts, fileSystemHandler, parseModelJson } from './io';
export { resolveModelPath, packageRoot, isBuiltin, BUILTIN_MODELS } from './paths';
export { applyFreezePlan, setBatchNormInference, isBatchNormInference, isBatchNormLayer } from './freezeApply';
export { resolveTrainable, toggleLayers, freezeUpTo, unfreezeFrom, countParams, type FreezeLayer, type SpecSource } from './freeze';
export { blockOf, HEAD_BLOCK, STEM_BLOCK, TOP_BLOCK } from './blocks';
export { attachHead, makeHeadLayers, HEAD_PREFIX } from './head';
export { layerInfo, layerInfos } from './layerInfo';
export { inspectModel } from './inspect';
export { suggestCutLayer } from './suggest';
