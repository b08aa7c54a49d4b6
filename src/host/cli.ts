#!/usr/bin/env node
/** `finetune-guide`: the command line entry (bundled to dist/cli.js). */
import * as tf from '@tensorflow/tfjs';
import { EXIT } from './cli/io';
import { guardClosedOutput } from './cli/closedOutput';
import { runCli } from './cli/main';

// PROD silences tfjs' console banners (e.g. "install tfjs-node"); our own messages say which backend runs.
tf.env().set('PROD', true);

const controller = new AbortController();
let interrupts = 0;
/** The exit code of a stopped run: 130 after Ctrl-C (SIGINT), 143 (128 + 15) after SIGTERM, as shells expect. */
let stoppedBy: number = EXIT.interrupted;
/** Ctrl-C, or SIGTERM (a service manager, `kill`): training stops after the batch in progress and saves its checkpoint there. */
const stopTraining = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts === 1) stoppedBy = signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  // Only training has a checkpoint to save; anything else stops at once, as does a second signal.
  if (interrupts > 1 || process.argv[2] !== 'train') process.exit(stoppedBy);
  process.stderr.write('\nStopping after this batch (a checkpoint is saved there); press Ctrl-C again to quit now.\n');
  controller.abort();
};
process.on('SIGINT', stopTraining);
process.on('SIGTERM', stopTraining);

// Closed stdout: training stops as on Ctrl-C (checkpoint kept, run marked); other commands finish silently.
const stdout = guardClosedOutput(process.stdout, () => {
  if (process.argv[2] === 'train') controller.abort();
});
// A closed stderr (`2>&1 | head`) must not crash either: its messages are dropped.
const stderr = guardClosedOutput(process.stderr, () => undefined);

runCli(process.argv.slice(2), {
  out: stdout.write,
  err: stderr.write,
  isTTY: process.stdout.isTTY === true,
  signal: controller.signal,
}).then(
  (code) => {
    // A Ctrl-C that came too late to stop a finished run leaves its status (and exit code) as they are.
    process.exitCode = code === EXIT.interrupted ? stoppedBy : code;
    // Output is flushed by now; a leftover handle (a worker thread) must not keep the command alive.
    setTimeout(() => process.exit(), 2000).unref();
  },
  (error: unknown) => {
    stderr.write(`Unexpected error: ${String(error)}\n`);
    process.exitCode = EXIT.unexpected;
  },
);
