/** The feature-extraction step at the end of a completed run: reloads the base (untrained) and the saved adapted model. */
import * as path from 'node:path';
import type { ProjectConfig } from '../../protocol/config';
import type { FeatureExtractionSummary } from '../../protocol/run';
import { modelDirOf } from '../../runs';
import { loadLayersModelFromDir } from '../export';
import { loadProjectBase } from '../model/prepare';
import { openBaseDataset } from './openTarget';
import { runFeatureExtraction } from './runFeatureExtraction';

export async function featureExtractionAtEnd(runDir: string, config: ProjectConfig, projectDir: string, dataDir: string): Promise<FeatureExtractionSummary> {
  const base = await loadProjectBase(config, projectDir);
  try {
    const adapted = await loadLayersModelFromDir(modelDirOf(runDir));
    try {
      const dataset = await openBaseDataset(config, dataDir, base);
      return await runFeatureExtraction({ runDir, base: base.base, adapted, dataset, dataDir: path.resolve(dataDir), layer: config.model.cutLayer });
    } finally {
      adapted.dispose();
    }
  } finally {
    base.base.dispose();
  }
}
