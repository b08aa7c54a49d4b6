/**
 * An error caused by something the user supplied (config, model, data). It names the file (and field
 * when there is one) and says how to fix it; callers show `message` without a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly fix: string,
    readonly field?: string,
  ) {
    super(`${file}${field ? ` (${field})` : ''}: ${message} ${fix}`.trim());
    this.name = 'UserError';
  }
}

/** True for errors the user can fix; everything else is a bug or an environment failure. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
