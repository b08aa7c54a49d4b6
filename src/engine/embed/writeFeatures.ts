/**
 * Writes feature vectors as CSV (`path,class,split,f0,f1,...`) or as NumPy (.npy, float32 [n, d])
 * with a sidecar JSON (`F.npy.json`: paths, classes, splits, layer). An existing file is never overwritten.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import type { SampleFeatures } from './features';
import { encodeNpy } from './npy';

export type FeatureFormat = 'csv' | 'npy';

/** The format `out` names by its extension; a UserError for any other. */
export function featureFormatOf(out: string): FeatureFormat {
  const ext = path.extname(out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.npy') return 'npy';
  throw new UserError(`--out "${out}" must end in .csv or .npy.`, 'command line', 'For example --out features.csv or --out features.npy.', 'out');
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Refuses an `out` (or its .npy sidecar) that exists: checked before the features are computed, and again by the exclusive writes. */
export async function assertNewOutput(out: string): Promise<void> {
  const file = path.resolve(out);
  for (const target of featureFormatOf(file) === 'npy' ? [file, `${file}.json`] : [file]) {
    if (await fs.access(target).then(() => true, () => false)) {
      throw new UserError('already exists; embed does not overwrite files.', target, 'Pick a new --out path or remove the file first.', 'out');
    }
  }
}

/** Writes `features` to `out`; returns the files written. */
export async function writeFeatures(out: string, features: readonly SampleFeatures[], classes: readonly string[], layer: string): Promise<string[]> {
  await assertNewOutput(out);
  const file = path.resolve(out);
  const format = featureFormatOf(file);
  const sidecar = `${file}.json`;
  const d = features[0]?.vector.length ?? 0;
  await fs.mkdir(path.dirname(file), { recursive: true });
  if (format === 'csv') {
    const header = ['path', 'class', 'split', ...Array.from({ length: d }, (_, j) => `f${j}`)].join(',');
    const lines = features.map((f) => [csvField(f.sample.relPath), csvField(classes[f.sample.label]), f.split, ...f.vector.map(String)].join(','));
    await fs.writeFile(file, `${[header, ...lines].join('\n')}\n`, { flag: 'wx' });
    return [file];
  }
  const data = new Float32Array(features.length * d);
  features.forEach((f, i) => data.set(f.vector, i * d));
  await fs.writeFile(file, encodeNpy(data, features.length, d), { flag: 'wx' });
  const meta = { layer, shape: [features.length, d], paths: features.map((f) => f.sample.relPath), classes: features.map((f) => classes[f.sample.label]), splits: features.map((f) => f.split) };
  await fs.writeFile(sidecar, `${JSON.stringify(meta, null, 2)}\n`, { flag: 'wx' });
  return [file, sidecar];
}
