/**
 * `finetune-guide inspect` and the layer tree: every layer of a model file, a built-in model, or
 * the prepared model of a project (base up to the cut + new head).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { isIgnoredEntry } from '../../shared/ignoredEntries';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import type { InspectResult } from '../../protocol/host';
import { loadProjectConfig, PROJECT_FILE_NAME } from '../config/load';
import { layerInfos } from './layerInfo';
import { loadBaseModel } from './load';
import { findBuiltin, isBuiltin } from './builtins';
import { graphLayersOfModel } from './graphLayers';
import { guessPixelRange } from './pixelRangeGuess';
import { prepareModel } from './prepare';

/** True when `target` is a project: a folder holding finetune.json, or a JSON(C) file with `phases`. */
async function isProjectTarget(target: string): Promise<boolean> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return false;
  if (info.isDirectory()) return (await stat(path.join(target, PROJECT_FILE_NAME)).catch(() => undefined)) !== undefined;
  if (path.basename(target) === PROJECT_FILE_NAME) return true;
  if (path.extname(target) !== '.json' && path.extname(target) !== '.jsonc') return false;
  const data: unknown = parse(await readFile(target, 'utf8'));
  return typeof data === 'object' && data !== null && 'phases' in data && !('modelTopology' in data);
}

/** Class sub-folders of the data folder (the head's size; at least 2 so a head can be shown). */
async function countClasses(dataDir: string): Promise<number> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  return Math.max(2, entries.filter((e) => e.isDirectory() && !isIgnoredEntry(e.name)).length);
}

/** Lists the layers of a model file, `builtin:...`, or a project's prepared model. */
export async function inspectModel(target: string): Promise<InspectResult> {
  if (!isBuiltin(target) && (await isProjectTarget(target))) {
    const project = await loadProjectConfig(target);
    const prepared = await prepareModel(project.config, project.projectDir, await countClasses(project.dataDir));
    prepared.model.dispose();
    return { layers: prepared.layers, totalParams: prepared.layers.reduce((sum, l) => sum + l.params, 0) };
  }
  const loaded = await loadBaseModel(target, process.cwd());
  const { model } = loaded;
  try {
    const layers = layerInfos(model, new Set(), loaded.containers);
    const withWeights = new Set(model.layers.filter((l) => l.weights.length > 0).map((l) => l.name));
    const stated = findBuiltin(target)?.pixelRange ?? loaded.pixelRange;
    const pixelRange = stated
      ? { range: stated, source: 'stated' as const }
      : { range: guessPixelRange(graphLayersOfModel(model), (layer) => withWeights.has(layer.name)), source: 'guessed' as const };
    return { layers, totalParams: model.countParams(), format: loaded.formatLabel, ...(loaded.labels ? { labels: loaded.labels } : {}), pixelRange };
  } finally {
    model.dispose();
  }
}
