/** `finetune-guide export <run dir> <dest> [--json]`: the adapted model as a folder to use elsewhere, checked by reloading it. */
import { parseArgs } from 'node:util';
import { ExportMismatchError, exportModel, UserError } from '../../engine';
import { EXIT, type CliIO } from './io';

export async function exportCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length !== 2) {
    throw new UserError('export needs a run folder and a destination folder.', 'command line', 'Run `finetune-guide export runs/<run id> exported-model` (the destination must be new or empty).');
  }
  const [runDir, destDir] = positionals;
  let result;
  try {
    result = await exportModel(runDir, destDir);
  } catch (error) {
    // Not the user's input (files damaged while writing, a backend bug): exit 1, with the numbers and no stack.
    if (!(error instanceof ExportMismatchError)) throw error;
    io.err(`${error.message}\n`);
    return EXIT.unexpected;
  }
  const { verification: v } = result;
  if (values.json) {
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  }
  io.out(`Exported to ${result.dir}: ${result.files.join(', ')}\n`);
  io.out(`Classes (${result.classes.length}): ${result.classes.join(', ')}\n`);
  io.out(`Checked: the reloaded model predicts like the trained one on ${v.samples} ${v.inputs === 'images' ? 'validation image' : 'generated input'}${v.samples === 1 ? '' : 's'} (largest difference ${v.maxAbsDifference.toExponential(2)}, tolerance ${v.tolerance}).\n`);
  return EXIT.ok;
}
