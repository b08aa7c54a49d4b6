/** Small type guards for walking Keras and TensorFlow.js JSON configs. */
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `[layerName, nodeIndex, tensorIndex, ...]` reference, as Keras 2 and tfjs write them. */
export function isTensorRef(value: unknown): value is [string, number, number, ...unknown[]] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number';
}

/** `input_layers`/`output_layers` hold one ref or a list of refs (Keras 3 writes one ref for a single tensor). */
export function refList(value: unknown): [string, number, number][] {
  if (isTensorRef(value)) return [[value[0], value[1], value[2]]];
  if (!Array.isArray(value)) return [];
  return value.filter(isTensorRef).map((ref) => [ref[0], ref[1], ref[2]]);
}
