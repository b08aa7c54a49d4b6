/** Where the CLI writes; a test passes its own to capture output. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stdout is a terminal (progress bars redraw one line). */
  readonly isTTY: boolean;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** Exit codes: documented in the help text. */
export const EXIT = { ok: 0, unexpected: 1, userError: 2, interrupted: 130, terminated: 143 } as const;
