/**
 * Makes a TensorFlow.js LayersModel with nested models (Teachable Machine: Sequential > Sequential
 * > Model(MobileNet) ...) flat, so every leaf layer can be cut at, frozen and shown. A flat model
 * is returned unchanged.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelContainer } from '../sources/modelSource';
import { flattenModelConfig } from './flatten';
import { isRecord } from './json';
import { checkReadable, isContainerClass } from './readableLayers';

export interface FlattenedArtifacts {
  readonly artifacts: tf.io.ModelArtifacts;
  /** Each nested leaf's containers, outermost first (absent for layers of the top model). */
  readonly containers: Readonly<Record<string, readonly ModelContainer[]>>;
}

interface LayerEntry {
  readonly class_name?: unknown;
  readonly name?: unknown;
  readonly config?: { readonly name?: unknown };
}

function topLayers(modelConfig: unknown): LayerEntry[] {
  if (!isRecord(modelConfig)) return [];
  const config = modelConfig.config;
  const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  return Array.isArray(layers) ? layers.filter(isRecord) : [];
}

/** A flat model goes through untouched (flattening would only rename what already works). */
function hasNestedModel(modelConfig: unknown): boolean {
  return topLayers(modelConfig).some((layer) => isContainerClass(String(layer.class_name)));
}

/** Renames `<layer>/<var>` weights of leaves renamed for a clash; the n-th weight of a name goes to the n-th leaf of that name. */
function renameWeights(specs: readonly tf.io.WeightsManifestEntry[], leaves: readonly { name: string; originalName: string }[]): tf.io.WeightsManifestEntry[] {
  const byOriginal = new Map<string, string[]>();
  for (const leaf of leaves) byOriginal.set(leaf.originalName, [...(byOriginal.get(leaf.originalName) ?? []), leaf.name]);
  const seen = new Map<string, number>();
  return specs.map((spec) => {
    const slash = spec.name.indexOf('/');
    if (slash < 0) return spec;
    const layer = spec.name.slice(0, slash);
    const names = byOriginal.get(layer);
    if (!names || names.length < 2) return spec;
    const count = seen.get(spec.name) ?? 0;
    seen.set(spec.name, count + 1);
    return { ...spec, name: `${names[Math.min(count, names.length - 1)]}${spec.name.slice(slash)}` };
  });
}

/** Flattens nested models in tfjs `artifacts` (file names the model.json, for messages). */
export function flattenLayersModel(artifacts: tf.io.ModelArtifacts, file: string): FlattenedArtifacts {
  const topology: unknown = artifacts.modelTopology;
  const modelConfig = isRecord(topology) && isRecord(topology.model_config) ? topology.model_config : topology;
  if (!hasNestedModel(modelConfig)) {
    for (const layer of topLayers(modelConfig)) checkReadable(String(layer.config?.name ?? layer.name ?? ''), String(layer.class_name), file);
    return { artifacts, containers: {} };
  }
  const flat = flattenModelConfig(modelConfig, file);
  return {
    artifacts: {
      ...artifacts,
      modelTopology: flat.topology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: renameWeights(artifacts.weightSpecs ?? [], flat.leaves),
    },
    containers: flat.containers,
  };
}
