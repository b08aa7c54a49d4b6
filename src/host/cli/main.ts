/** The CLI without process concerns: parse the command, run it, map errors to exit codes. */
import { initBackend, isUserError, shutdownBackend } from '../../engine';
import { HELP } from './help';
import { expandHomeArgs } from './homeArgs';
import { initCommand } from './init';
import { inspectCommand } from './inspect';
import { lrFindCommand } from './lrFind';
import { EXIT, type CliIO } from './io';
import { distillCommand } from './distill';
import { embedCommand } from './embed';
import { exportCommand } from './export';
import { predictCommand } from './predict';
import { reportCommand } from './report';
import { trainCommand } from './train';

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIO) => Promise<number>>> = {
  init: initCommand,
  inspect: inspectCommand,
  train: trainCommand,
  predict: predictCommand,
  export: exportCommand,
  embed: embedCommand,
  report: reportCommand,
  distill: distillCommand,
  'lr-find': lrFindCommand,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help' || args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return command === undefined ? EXIT.userError : EXIT.ok;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`command line: "${command}" is not a command. Use one of ${Object.keys(COMMANDS).join(', ')}; see finetune-guide --help.\n`);
    return EXIT.userError;
  }
  try {
    // train, distill and lr-find pick their backend from the project and --backend; report runs no model; the others take the best available.
    if (command !== 'train' && command !== 'report' && command !== 'distill' && command !== 'lr-find') await initBackend('auto');
    return await run(expandHomeArgs(args), io);
  } catch (error) {
    if (isUserError(error)) {
      io.err(`${error.message}\n`);
      return EXIT.userError;
    }
    if ((error as NodeJS.ErrnoException | undefined)?.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`command line: ${(error as Error).message}. See finetune-guide --help.\n`);
      return EXIT.userError;
    }
    io.err(`Unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.unexpected;
  } finally {
    shutdownBackend();
  }
}
