/** `finetune-guide predict <run dir | model dir> <image...> [--top K] [--json]` */
import { parseArgs } from 'node:util';
import { predictEachImage, UserError } from '../../engine';
import { formatPercent } from '../../shared/format';
import { EXIT, type CliIO } from './io';

export async function predictCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, top: { type: 'string', default: '3' } },
  });
  if (positionals.length < 2) {
    throw new UserError('predict needs a run (or model) folder and at least one image.', 'command line', 'Run `finetune-guide predict runs/<run id> photo.jpg`.');
  }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top "${values.top}" is not a whole number of at least 1.`, 'command line', 'For example --top 3.');
  const [dir, ...images] = positionals;
  // Each image on its own: a bad one is named with its cause, the good ones are still predicted.
  const { predictions, failures, images: tried } = await predictEachImage(dir, images, top);
  for (const prediction of predictions) {
    if (values.json) io.out(`${JSON.stringify(prediction)}\n`);
    else io.out(`${prediction.file}: ${prediction.top.map((t) => `${t.label} ${formatPercent(t.probability)}`).join(', ')}\n`);
  }
  for (const failure of failures) io.err(`${failure.message}\n`);
  // Exit 2 when any image failed (a script sees it), after every good image was printed.
  if (failures.length > 0) io.err(`${failures.length} of ${tried} image${tried === 1 ? '' : 's'} could not be predicted.\n`);
  return failures.length > 0 ? EXIT.userError : EXIT.ok;
}
