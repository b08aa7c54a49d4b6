/**
 * The TensorFlow.js backends a training can ask for, with what each one is: the one list the CLI,
 * the settings and the project schema use (the JSON files are checked against it by a test).
 */
import type { BackendPreference } from '../protocol/host';

/** Keyed by the protocol's type, so a name added there does not compile until it is described here. */
const DESCRIPTIONS: { readonly [name in BackendPreference]: string } = {
  auto: 'The fastest available: native TensorFlow if installed, else WebAssembly, else plain JavaScript.',
  tensorflow: 'Native TensorFlow (@tensorflow/tfjs-node); fails if it is not installed.',
  wasm: 'WebAssembly with threads and SIMD.',
  cpu: 'Plain JavaScript: slow, but always works.',
};

export interface BackendChoice {
  readonly name: BackendPreference;
  readonly description: string;
}

/** In the order settings and help list them; `auto` (the default) first. */
export const BACKENDS: readonly BackendChoice[] = (Object.keys(DESCRIPTIONS) as BackendPreference[]).map((name) => ({ name, description: DESCRIPTIONS[name] }));

export const BACKEND_NAMES: readonly BackendPreference[] = BACKENDS.map((backend) => backend.name);

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}
