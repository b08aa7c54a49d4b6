/**
 * The config hash in a run's manifest: SHA-256 of the config (defaults filled) as JSON with every
 * object's keys sorted, so key order and formatting in finetune.json do not change it.
 */
import { createHash } from 'node:crypto';

function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, normalised(v)]));
  }
  return value;
}

/** SHA-256 (hex) of the normalised config. */
export function configHashOf(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(normalised(config))).digest('hex');
}
