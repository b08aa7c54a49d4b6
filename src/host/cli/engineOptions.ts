/** The options every command that runs the model shares (`--backend`, `--threads`, `--json`): their parseArgs spec and checks. */
import type { BackendPreference } from '../../protocol/host';
import { UserError } from '../../engine';
import { BACKEND_NAMES, isBackendPreference } from '../../shared/backends';

export const ENGINE_OPTIONS = {
  backend: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export interface EngineChoices {
  readonly backend?: BackendPreference;
  readonly threads?: number;
}

/** `--backend` and `--threads` checked, each bad value named with the fix (exit 2). */
export function engineChoicesOf(values: { readonly backend?: string; readonly threads?: string }): EngineChoices {
  const { backend } = values;
  if (backend !== undefined && !isBackendPreference(backend)) {
    throw new UserError(`--backend "${backend}" is not a backend.`, 'command line', `Use one of ${BACKEND_NAMES.join(', ')}.`);
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UserError(`--threads "${values.threads}" is not a whole number of at least 1.`, 'command line', 'For example --threads 2.');
  }
  return { ...(backend !== undefined ? { backend } : {}), ...(threads !== undefined ? { threads } : {}) };
}
