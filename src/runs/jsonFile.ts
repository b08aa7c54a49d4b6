/** Reading a run's JSON files without throwing: a reader tells "missing" from "damaged" and shows what it can. */
import { readTextIfExists } from './atomicFile';

export type JsonRead =
  | { readonly state: 'missing' }
  /** Present but not JSON (cut short, edited by hand) or not readable. */
  | { readonly state: 'invalid' }
  | { readonly state: 'ok'; readonly value: unknown };

export async function readJsonFile(file: string): Promise<JsonRead> {
  let text: string | undefined;
  try {
    text = await readTextIfExists(file);
  } catch {
    return { state: 'invalid' };
  }
  if (text === undefined) return { state: 'missing' };
  try {
    return { state: 'ok', value: JSON.parse(text) as unknown };
  } catch {
    return { state: 'invalid' };
  }
}

/** The parsed value when the file is valid JSON, else undefined. */
export async function readJsonValue(file: string): Promise<unknown> {
  const read = await readJsonFile(file);
  return read.state === 'ok' ? read.value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
