/** `finetune-guide report <run dir>`: (re)writes the run's report.md and its chart images. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { UserError, writeReport } from '../../engine';
import { EXIT, type CliIO } from './io';

export async function reportCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UserError('report needs one run folder.', 'command line', 'Run `finetune-guide report runs/<run id>`.');
  // A folder that is not a finished run fails in the engine with a UserError naming its summary.json.
  const result = await writeReport(path.resolve(positionals[0]));
  io.out(`Wrote ${result.file}\n`);
  io.out(`Charts: ${result.charts.loss}, ${result.charts.accuracy}\n`);
  return EXIT.ok;
}
