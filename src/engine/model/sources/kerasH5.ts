/**
 * Keras HDF5 models (`model.save('x.h5')`), as Keras 2.2 to 2.15 and Keras 3's legacy writer save
 * them: the configuration in the `model_config` attribute, weights under `model_weights/<top
 * layer>/` in the order the `layer_names` and `weight_names` attributes give (not the
 * alphabetical group order). Keras 2 names them `conv2d/kernel:0`; Keras 3 adds the model's name
 * (`sequential/conv2d/kernel`) and a `top_level_model_weights` group. A nested model's weights
 * all sit in its top layer's group.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as H5 from 'h5wasm' with { 'resolution-mode': 'import' };
import { UserError } from '../../../shared/userError';
import { assembleWeights, type StoredWeight } from '../keras/assembleWeights';
import { flattenModelConfig, type FlatLeaf } from '../keras/flatten';
import { floatValues, isHdf5, stringAttr, stringListAttr, withHdf5 } from '../keras/hdf5';
import { readCompanionFiles } from './companionFiles';
import type { ImportedModel, ModelSource } from './modelSource';

const SAVE_WHOLE_MODEL = "Save the whole model in Keras with model.save('model.keras') (or model.save('model.h5')), not model.save_weights(...), and import that file.";

interface StoredGroup {
  /** The top-level layer the group belongs to. */
  readonly layer: string;
  /** `[leaf layer name as stored, weight]`, in `weight_names` order. */
  readonly weights: readonly (readonly [string, StoredWeight])[];
}

interface H5Contents {
  readonly modelConfig: unknown;
  readonly kerasVersion: string;
  readonly groups: readonly StoredGroup[];
}

/** `sequential/conv2d/kernel` or `conv2d/kernel:0` -> `conv2d` (the layer the variable belongs to). */
function storedLayerOf(weightName: string): string {
  const parts = weightName.replace(/:\d+$/, '').split('/');
  return parts.length >= 2 ? parts[parts.length - 2] : parts[0];
}

function parseConfig(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`has a model_config attribute that is not valid JSON (${(error as Error).message}).`, file, 'Save the model again from Keras.');
  }
}

function readContents(root: H5.File, file: string): H5Contents {
  const configText = stringAttr(root, 'model_config');
  if (configText === undefined) {
    throw new UserError('holds only weights: the model configuration (topology) is missing.', file, SAVE_WHOLE_MODEL);
  }
  const weightsRoot = root.get('model_weights') as H5.Group | null;
  const base = weightsRoot && String(weightsRoot.type) === 'Group' ? weightsRoot : root;
  const groups: StoredGroup[] = [];
  for (const layer of stringListAttr(base, 'layer_names') ?? []) {
    const group = base.get(layer) as H5.Group | null;
    if (!group) throw new UserError(`lists the layer "${layer}" in layer_names but has no weights group for it.`, file, 'Save the model again from Keras.');
    const weights = (stringListAttr(group, 'weight_names') ?? []).map((name): readonly [string, StoredWeight] => {
      const dataset = group.get(name) as H5.Dataset | null;
      if (!dataset || String(dataset.type) !== 'Dataset') {
        throw new UserError(`lists the weight "${layer}/${name}" but does not store it.`, file, 'Save the model again from Keras; the file may be truncated.');
      }
      return [storedLayerOf(name), { values: floatValues(dataset, file, name), shape: dataset.shape ?? [], source: `model_weights/${layer}/${name}` }];
    });
    groups.push({ layer, weights });
  }
  return {
    modelConfig: parseConfig(configText, file),
    kerasVersion: stringAttr(root, 'keras_version') ?? stringAttr(base, 'keras_version') ?? '',
    groups,
  };
}

/** The leaves a top-level layer's group holds: the layer itself, or every leaf of the nested model of that name. */
function leavesOfGroup(leaves: readonly FlatLeaf[], layer: string): FlatLeaf[] {
  return leaves.filter((leaf) => (leaf.containers.length > 0 ? leaf.containers[0].name === layer : leaf.originalName === layer));
}

/** `conv2d/kernel:0` -> `kernel`. */
function variableOf(weightName: string): string {
  return weightName.replace(/:\d+$/, '').split('/').pop() ?? weightName;
}

/**
 * Gives each leaf the weights stored under its name, in stored order. They need not be
 * contiguous: Keras lists a nested model's trainable weights first, then the non-trainable
 * ones (every BatchNorm's moving statistics after all kernels). Leaves of one group that share
 * a name take the weights in turn, one variable name each.
 */
export function weightsByLeaf(leaves: readonly FlatLeaf[], groups: readonly StoredGroup[]): Map<string, StoredWeight[]> {
  const byLeaf = new Map<string, StoredWeight[]>();
  for (const group of groups) {
    const inGroup = leavesOfGroup(leaves, group.layer);
    const taken = new Map<string, Set<string>>();
    for (const [owner, weight] of group.weights) {
      const variable = variableOf(weight.source);
      const leaf = inGroup.find((l) => l.originalName === owner && !taken.get(l.name)?.has(variable));
      if (!leaf) continue;
      taken.set(leaf.name, (taken.get(leaf.name) ?? new Set()).add(variable));
      byLeaf.set(leaf.name, [...(byLeaf.get(leaf.name) ?? []), weight]);
    }
  }
  return byLeaf;
}

export const kerasH5Source: ModelSource = {
  id: 'keras-h5',
  label: 'Keras HDF5 model (.h5)',
  extensions: ['h5', 'hdf5', 'keras'],
  accepts: isHdf5,
  async read(file: string): Promise<ImportedModel> {
    const bytes = await readFile(file);
    const contents = await withHdf5(bytes, file, (root) => readContents(root, file));
    const flat = flattenModelConfig(contents.modelConfig, file);
    const weights = await assembleWeights(flat.topology, weightsByLeaf(flat.leaves, contents.groups), file);
    const major = contents.kerasVersion.split('.')[0];
    const label = major === '3' ? 'Keras 3 legacy HDF5' : 'Keras 2 HDF5';
    return {
      artifacts: { modelTopology: flat.topology as ImportedModel['artifacts']['modelTopology'], format: 'layers-model', ...weights },
      formatLabel: `${label} (.h5${contents.kerasVersion ? `, Keras ${contents.kerasVersion}` : ''})`,
      ...(Object.keys(flat.containers).length > 0 ? { containers: flat.containers } : {}),
      ...(await readCompanionFiles(path.dirname(file))),
    };
  },
};
