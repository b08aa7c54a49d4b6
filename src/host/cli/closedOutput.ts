/**
 * Closed output (`finetune-guide train p | head -1`, quitting `less`): a write to a closed pipe fails with
 * EPIPE, asynchronously, as an 'error' event that would crash the process with a stack. The command goes on
 * without stdout instead: later writes are dropped, and `onClosed` runs once (train stops there as on Ctrl-C,
 * so its checkpoint is kept and the run is marked cancelled rather than left "running").
 */
export interface GuardedOutput {
  /** Writes unless the stream is closed. */
  readonly write: (text: string) => void;
  readonly closed: () => boolean;
}

export function guardClosedOutput(stream: NodeJS.WriteStream, onClosed: () => void): GuardedOutput {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Only a reader that went away is expected; anything else is reported once on stderr, without a stack.
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') process.stderr.write(`stdout: ${error.message}\n`);
    close();
  });
  return {
    write: (text) => {
      if (!closed) stream.write(text);
    },
    closed: () => closed,
  };
}
