/**
 * HDF5 through h5wasm's in-memory build: the bytes are written to its MEMFS and opened there, so a
 * `.keras` archive's inner file never touches the disk and the real file system stays read-only.
 */
import type * as H5 from 'h5wasm' with { 'resolution-mode': 'import' };
import { UserError } from '../../../shared/userError';

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Four bytes (`\x89HDF`) decide, so a file cut short inside the signature is still told it is damaged HDF5. */
export function isHdf5(head: Uint8Array): boolean {
  return head.length >= 4 && HDF5_SIGNATURE.slice(0, 4).every((byte, i) => head[i] === byte);
}

type H5Module = typeof H5;
let loaded: Promise<H5Module> | undefined;

/** h5wasm is ESM-only; one dynamic import serves every reader. */
export function h5wasm(): Promise<H5Module> {
  loaded ??= import('h5wasm').then(async (module) => {
    const lib = await module.ready;
    // HDF5 errors become exceptions (caught and named per file) instead of a diagnostic dump on stderr.
    lib.activate_throwing_error_handler();
    return module;
  });
  return loaded;
}

let counter = 0;

/** HDF5's error stack, innermost cause only: `truncated file: eof = 3000, ...`. */
function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const causes = [...text.matchAll(/#\d+:.*?\(\): (.+)/g)].map((m) => m[1].trim());
  return causes.at(-1) ?? text.split('\n')[0];
}

/** Opens `bytes` as HDF5, runs `body`, then closes and removes the in-memory copy. */
export async function withHdf5<T>(bytes: Uint8Array, file: string, body: (root: H5.File) => T): Promise<T> {
  const h5 = await h5wasm();
  const fs = h5.FS;
  if (!fs) throw new Error('h5wasm has no in-memory file system');
  const memPath = `/ftg-read-${process.pid}-${counter++}.h5`;
  fs.writeFile(memPath, bytes);
  let root: H5.File | undefined;
  try {
    try {
      root = new h5.File(memPath, 'r');
    } catch (error) {
      throw new UserError(`is not a readable HDF5 file (${hdf5Reason(error)}).`, file, 'Save the model again from Keras, or download it again: the file may be truncated.');
    }
    return body(root);
  } finally {
    root?.close();
    fs.unlink(memPath);
  }
}

/** An attribute as a list of strings: Keras writes names as string arrays, an empty list as a 0-length float array. */
export function stringListAttr(node: H5.Group | H5.Dataset, name: string): string[] | undefined {
  const attr = node.attrs[name];
  if (!attr) return undefined;
  const value = attr.value;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map(String);
  if (ArrayBuffer.isView(value)) return [];
  return undefined;
}

export function stringAttr(node: H5.Group | H5.Dataset, name: string): string | undefined {
  const value = node.attrs[name]?.value;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

/** Every dataset under `group`, by logical path: nested groups joined with "/", and a flat name holding "\" (Windows) split the same way. */
export function datasetsByPath(group: H5.Group, prefix = '', into = new Map<string, H5.Dataset>()): Map<string, H5.Dataset> {
  for (const key of group.keys()) {
    const child = group.get(key);
    const logical = prefix + key.replace(/\\/g, '/');
    const type = child && 'type' in child ? String(child.type) : '';
    if (type === 'Group') datasetsByPath(child as H5.Group, `${logical}/`, into);
    else if (type === 'Dataset') into.set(logical, child as H5.Dataset);
  }
  return into;
}

/** A dataset's values as float32 (Keras stores float32; float64 and integer weights are converted). */
export function floatValues(dataset: H5.Dataset, file: string, name: string): Float32Array {
  const value = dataset.value;
  if (value instanceof Float32Array) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Float32Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  }
  if (typeof value === 'number') return Float32Array.of(value);
  throw new UserError(`stores the weight "${name}" as ${dataset.dtype}, which is not a number array.`, file, 'Save the model with float32 weights.');
}
