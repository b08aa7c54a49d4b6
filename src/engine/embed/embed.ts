/** `embed`: features of every image of a run or project at one layer, written to a file, with the baselines on them. */
import type { Split } from '../data/types';
import { featureBaselines, type FeatureBaselines, type LabelledFeatures } from './baselines';
import { extractFeatures, type SampleFeatures } from './features';
import { openEmbedTarget } from './openTarget';
import { assertNewOutput, writeFeatures } from './writeFeatures';

export interface EmbedOptions {
  readonly out: string;
  /** Default: the cut layer. */
  readonly layer?: string;
}

export interface EmbedResult {
  readonly source: 'run' | 'project';
  readonly layer: string;
  readonly images: number;
  readonly dimensions: number;
  readonly files: readonly string[];
  readonly baselines: FeatureBaselines;
}

/** Train/validation features as the baselines take them. */
export function splitFeatures(features: readonly SampleFeatures[], split: Split): LabelledFeatures {
  const rows = features.filter((f) => f.split === split);
  return { features: rows.map((f) => f.vector), labels: rows.map((f) => f.sample.label) };
}

export async function embedImages(runOrProject: string, options: EmbedOptions): Promise<EmbedResult> {
  await assertNewOutput(options.out);
  const target = await openEmbedTarget(runOrProject);
  try {
    const layer = options.layer ?? target.cutLayer;
    const features = await extractFeatures(target.model, layer, target.dataset, ['train', 'validation'], runOrProject);
    const files = await writeFeatures(options.out, features, target.dataset.classes, layer);
    const baselines = featureBaselines(splitFeatures(features, 'train'), splitFeatures(features, 'validation'), target.dataset.classes.length);
    return { source: target.kind, layer, images: features.length, dimensions: features[0]?.vector.length ?? 0, files, baselines };
  } finally {
    target.model.dispose();
  }
}
