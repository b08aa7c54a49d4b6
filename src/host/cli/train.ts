/** `finetune-guide train <dir | finetune.json> [--backend ...] [--resume [run dir]] [--threads N] [--json]` */
import { parseArgs } from 'node:util';
import { trainProject, UserError } from '../../engine';
import { engineChoicesOf, ENGINE_OPTIONS } from './engineOptions';
import { EXIT, type CliIO } from './io';
import { ProgressPrinter } from './progress';

/** `--resume` with no value means "the latest unfinished run". */
const LATEST = '\0latest';

/** `--resume` may stand alone: give it an explicit value so parseArgs can read it. */
function normaliseResume(args: readonly string[]): string[] {
  return args.map((arg, i) => (arg === '--resume' && (i === args.length - 1 || args[i + 1].startsWith('-')) ? `--resume=${LATEST}` : arg));
}

export async function trainCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: normaliseResume(args),
    allowPositionals: true,
    options: {
      ...ENGINE_OPTIONS,
      resume: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    throw new UserError(
      positionals.length === 0 ? 'train needs the project: a folder with finetune.json, or the file itself.' : `train takes one project, got ${positionals.length}: ${positionals.join(' ')}.`,
      'command line',
      'Run `finetune-guide train <dir | finetune.json>`; put a run folder right after --resume (or write --resume=<run dir>).',
    );
  }
  const { backend, threads } = engineChoicesOf(values);
  const printer = new ProgressPrinter(io);
  const result = await trainProject(positionals[0], {
    backend,
    resume: values.resume === undefined ? undefined : values.resume === LATEST ? true : values.resume,
    threads,
    signal: io.signal,
    onEvent: (event) => (values.json ? io.out(`${JSON.stringify(event)}\n`) : printer.print(event)),
  });
  switch (result.status) {
    case 'completed':
      return EXIT.ok;
    case 'cancelled':
      return EXIT.interrupted;
    case 'failed':
      // A diverging loss: the message names the phase's learning rate in finetune.json.
      if (values.json) io.err(`${result.summary.message ?? 'Training failed.'}\n`);
      return EXIT.userError;
    default:
      return EXIT.unexpected;
  }
}
