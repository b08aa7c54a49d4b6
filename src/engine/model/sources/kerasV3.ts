/**
 * Keras 3 `.keras` archives: a zip of `config.json` (the model), `metadata.json` (Keras version)
 * and `model.weights.h5`. The weights sit at `layers/<name>/vars/<i>`, where `<name>` is not the
 * layer's own name but one Keras generates from its class, numbered per container
 * (`conv2d`, `conv2d_1`, ...; a nested model adds `layers/functional/layers/...`), so they are
 * matched by walking the config's layers in order. Files saved on Windows have flat group names
 * with backslashes (`layers\conv2d\vars`), read the same way.
 */
import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as H5 from 'h5wasm' with { 'resolution-mode': 'import' };
import { UserError } from '../../../shared/userError';
import { assembleWeights, type StoredWeight } from '../keras/assembleWeights';
import { flattenModelConfig, type FlatLeaf } from '../keras/flatten';
import { datasetsByPath, floatValues, withHdf5 } from '../keras/hdf5';
import { readCompanionFiles } from './companionFiles';
import type { ImportedModel, ModelSource } from './modelSource';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const RESAVE = 'Save the model again from Keras 3 with model.save("model.keras").';

function unzip(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (error) {
    throw new UserError(`is not a readable zip archive (${(error as Error).message}).`, file, RESAVE);
  }
}

function parseJsonEntry(entries: Record<string, Uint8Array>, name: string, file: string): unknown {
  const bytes = entries[name];
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new UserError(`has a ${name} that is not valid JSON (${(error as Error).message}).`, file, RESAVE);
  }
}

/** The keys `<prefix><i>` among `keys`, by number (0, 1, 2, ..., 10: not the text order 0, 1, 10, 2). */
export function numberedVars(keys: readonly string[], prefix: string): string[] {
  return keys
    .filter((key) => key.startsWith(prefix) && /^\d+$/.test(key.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
}

/** The variables of every leaf, from `<savedPath>/vars/<i>` sorted by number (0, 1, ..., 10). */
function readLeafWeights(root: H5.File, leaves: readonly FlatLeaf[], file: string): Map<string, StoredWeight[]> {
  const datasets = datasetsByPath(root);
  const byLeaf = new Map<string, StoredWeight[]>();
  for (const leaf of leaves) {
    if (!leaf.savedPath) continue;
    const weights = numberedVars([...datasets.keys()], `${leaf.savedPath}/vars/`).map((key) => {
      const dataset = datasets.get(key) as H5.Dataset;
      return { values: floatValues(dataset, file, key), shape: dataset.shape ?? [], source: `model.weights.h5:${key}` };
    });
    if (weights.length > 0) byLeaf.set(leaf.name, weights);
  }
  return byLeaf;
}

export const kerasV3Source: ModelSource = {
  id: 'keras-v3',
  label: 'Keras 3 model (.keras)',
  extensions: ['keras'],
  accepts: (head) => ZIP_SIGNATURE.every((byte, i) => head[i] === byte),
  async read(file: string): Promise<ImportedModel> {
    const entries = unzip(await readFile(file), file);
    const config = parseJsonEntry(entries, 'config.json', file);
    const weightsFile = entries['model.weights.h5'];
    if (config === undefined || !weightsFile) {
      throw new UserError(
        `is a zip archive but not a Keras 3 .keras model (it has no ${config === undefined ? 'config.json' : 'model.weights.h5'}).`,
        file,
        RESAVE,
      );
    }
    const metadata = parseJsonEntry(entries, 'metadata.json', file) as { keras_version?: unknown } | undefined;
    const flat = flattenModelConfig(config, file);
    const stored = await withHdf5(weightsFile, file, (root) => readLeafWeights(root, flat.leaves, file));
    const weights = await assembleWeights(flat.topology, stored, file);
    const version = typeof metadata?.keras_version === 'string' ? `, Keras ${metadata.keras_version}` : '';
    return {
      artifacts: { modelTopology: flat.topology as ImportedModel['artifacts']['modelTopology'], format: 'layers-model', ...weights },
      formatLabel: `Keras 3 .keras archive${version}`,
      ...(Object.keys(flat.containers).length > 0 ? { containers: flat.containers } : {}),
      ...(await readCompanionFiles(path.dirname(file))),
    };
  },
};
