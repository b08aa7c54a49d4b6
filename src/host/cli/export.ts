/**
 * `finetune-guide export <run dir> --out <dest> [--format tfjs|keras|h5] [--json]` (`<dest>` may also be the
 * second argument): the adapted model as a folder to use elsewhere, checked by reloading it.
 */
import { parseArgs } from 'node:util';
import { ExportMismatchError, exportFormatIds, exportModel, exportWriter, UserError } from '../../engine';
import { DEFAULT_EXPORT_FORMAT } from '../../shared/exportFormats';
import { nonPortableDestination } from '../../engine/data/portableNames';
import { EXIT, type CliIO } from './io';

export async function exportCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, out: { type: 'string' }, format: { type: 'string', default: DEFAULT_EXPORT_FORMAT } },
  });
  const [runDir, destDir = values.out, ...extra] = positionals;
  if (runDir === undefined || destDir === undefined || extra.length > 0 || (values.out !== undefined && positionals.length > 1)) {
    throw new UserError(
      'export needs a run folder and one destination folder.',
      'command line',
      `Run \`finetune-guide export runs/<run id> --out exported-model [--format ${exportFormatIds().join('|')}]\` (the destination must be new or empty).`,
    );
  }
  const format = exportWriter(values.format, 'command line', '--format').id;
  let result;
  try {
    result = await exportModel(runDir, destDir, { format });
  } catch (error) {
    // Not the user's input (files damaged while writing, a backend bug): exit 1, with the numbers and no stack.
    if (!(error instanceof ExportMismatchError)) throw error;
    io.err(`${error.message}\n`);
    return EXIT.unexpected;
  }
  const { verification: v } = result;
  const unportable = nonPortableDestination(result.dir);
  if (unportable) io.err(`warning: ${result.dir}: ${unportable}, so it cannot be copied there as it is. Rename the folder if the model should travel.\n`);
  if (values.json) {
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  }
  io.out(`Exported (${result.format}) to ${result.dir}: ${result.files.join(', ')}\n`);
  io.out(`Classes (${result.classes.length}): ${result.classes.join(', ')}\n`);
  io.out(`Checked: the reloaded model predicts like the trained one on ${v.samples} ${v.inputs === 'images' ? 'validation image' : 'generated input'}${v.samples === 1 ? '' : 's'} (largest difference ${v.maxAbsDifference.toExponential(2)}, tolerance ${v.tolerance}).\n`);
  return EXIT.ok;
}
