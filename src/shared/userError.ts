/**
 * An error caused by something the user supplied (config, model, data). It names the file (and field
 * when there is one) and says how to fix it; callers show `message` without a stack trace.
 */
export class UserError extends Error {
  /** The message without the file and field in front (for a place that shows those itself, like the Problems view). */
  readonly reason: string;

  constructor(
    message: string,
    readonly file: string,
    readonly fix: string,
    readonly field?: string,
  ) {
    super(`${file}${field ? ` (${field})` : ''}: ${message} ${fix}`.trim());
    this.reason = `${message} ${fix}`.trim();
    this.name = 'UserError';
  }
}

/** True for errors the user can fix; everything else is a bug or an environment failure. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
