/**
 * End of a training run: the "feature extraction" baselines (kNN and logistic regression on the base
 * model's cut-layer features, no network training) into summary.json, and the 2-D PCA projections of
 * the validation images' features from the base and the adapted model into embedding.json.
 */
import type * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { EmbeddingFile, FeatureExtractionSummary } from '../../protocol/run';
import { RUN_FILES } from '../../runs';
import { writeJsonAtomic } from '../../runs/atomicFile';
import type { Dataset } from '../data/types';
import { featureBaselines } from './baselines';
import { splitFeatures } from './embed';
import { extractFeatures, type SampleFeatures } from './features';
import { pca2 } from './pca';

export const EMBEDDING_FILE = RUN_FILES.embedding;
export type { EmbeddingFile };

export interface FeatureExtractionInput {
  readonly runDir: string;
  readonly base: tf.LayersModel;
  readonly adapted: tf.LayersModel;
  /** The dataset opened for the base (same split as training). */
  readonly dataset: Dataset;
  readonly dataDir: string;
  readonly layer: string;
}

const byPath = (features: readonly SampleFeatures[]): SampleFeatures[] => [...features].sort((a, b) => a.sample.relPath.localeCompare(b.sample.relPath));

/** Computes both and writes embedding.json; the caller puts the returned baselines into summary.json. */
export async function runFeatureExtraction(input: FeatureExtractionInput): Promise<FeatureExtractionSummary> {
  const { dataset, layer } = input;
  const baseFeatures = await extractFeatures(input.base, layer, dataset, ['train', 'validation'], input.runDir);
  const baselines = featureBaselines(splitFeatures(baseFeatures, 'train'), splitFeatures(baseFeatures, 'validation'), dataset.classes.length);
  const summaryPart: FeatureExtractionSummary = { layer, knn: baselines.knn, logistic: baselines.logistic };
  const baseVal = byPath(baseFeatures.filter((f) => f.split === 'validation'));
  const adaptedVal = byPath(await extractFeatures(input.adapted, layer, dataset, ['validation'], input.runDir));
  const embedding: EmbeddingFile = {
    layer, classes: dataset.classes, dataDir: input.dataDir,
    images: baseVal.map((f) => ({ path: f.sample.relPath, label: f.sample.label })),
    base: pca2(baseVal.map((f) => f.vector)).points,
    adapted: pca2(adaptedVal.map((f) => f.vector)).points,
  };
  await writeJsonAtomic(path.join(input.runDir, EMBEDDING_FILE), embedding);
  return summaryPart;
}
