/** Public API of models: loading, inspecting, preparing (cut + head) and freeze plans. */
export { prepareModel, type PreparedModel, type Preprocessing } from './prepare';
export { loadBaseModel, type LoadModelOptions, type LoadedBaseModel } from './load';
export { writeModelArtifacts, fileSystemHandler } from './io';
export { readModelFile, modelSources, registerModelSource, type ReadModel, type ImportedModel, type ModelSource } from './sources';
export { resolveModelPath, packageRoot } from './paths';
export { builtinModels, builtinRef, findBuiltin, isBuiltin, registerBuiltinModel, DEFAULT_BUILTIN, BUILTIN_PREFIX, type BuiltinModel } from './builtins';
export { applyFreezePlan, setBatchNormInference, isBatchNormInference, isBatchNormLayer } from './freezeApply';
export { resolveTrainable, toggleLayers, freezeUpTo, unfreezeFrom, countParams, type FreezeLayer, type SpecSource } from './freeze';
export { blockOf, HEAD_BLOCK, STEM_BLOCK, TOP_BLOCK } from './blocks';
export { attachHead, makeHeadLayers, HEAD_PREFIX } from './head';
export { layerInfo, layerInfos } from './layerInfo';
export { inspectModel } from './inspect';
export { suggestCutLayer } from './suggest';
