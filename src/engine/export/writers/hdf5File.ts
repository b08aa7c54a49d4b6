/**
 * Writing HDF5 with h5wasm (an ESM-only package, loaded once by dynamic import from this CommonJS
 * build). h5wasm writes to the real file system in Node: the file is built under a temporary name
 * beside its destination and renamed into place when complete.
 */
import { promises as fs } from 'node:fs';
import type { Group } from 'h5wasm/node' with { 'resolution-mode': 'import' };

type H5wasm = (typeof import('h5wasm/node', { with: { 'resolution-mode': 'import' } }))['default'];

let loaded: Promise<H5wasm> | undefined;

/** h5wasm, its wasm module ready. */
export function h5wasm(): Promise<H5wasm> {
  loaded ??= import('h5wasm/node').then(async ({ default: h5 }) => {
    await h5.ready;
    return h5;
  });
  return loaded;
}

/** Creates `file` through `build` (given the root group); nothing is left under either name on failure. */
export async function writeHdf5(file: string, build: (root: Group) => void): Promise<void> {
  const h5 = await h5wasm();
  const temp = `${file}.${process.pid}.partial`;
  try {
    const handle = new h5.File(temp, 'w');
    try {
      build(handle);
    } finally {
      handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** A float32 dataset of `shape` (row-major, as tfjs holds weights). */
export function writeFloat32(group: Group, name: string, shape: readonly number[], values: Float32Array): void {
  group.create_dataset({ name, data: values, shape: [...shape], dtype: '<f' });
}

/** A list of names as an attribute (variable-length strings: no 64 KB object-header limit for long lists). */
export function writeNames(group: Group, name: string, names: readonly string[]): void {
  // An empty list cannot be a string attribute; Keras itself writes an empty float array there.
  if (names.length === 0) group.create_attribute(name, [], [0], '<f8');
  else group.create_attribute(name, [...names]);
}
