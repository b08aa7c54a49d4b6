/** `finetune-guide embed <run dir | project> --out F.csv|.npy [--layer NAME] [--json]`: one feature vector per image, and the baselines on them. */
import { parseArgs } from 'node:util';
import { UserError } from '../../engine';
import { embedImages } from '../../engine/embed/embed';
import { featureFormatOf } from '../../engine/embed/writeFeatures';
import { formatPercent } from '../../shared/format';
import { EXIT, type CliIO } from './io';

export async function embedCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, out: { type: 'string' }, layer: { type: 'string' } },
  });
  const [source, ...extra] = positionals;
  if (source === undefined || values.out === undefined || extra.length > 0) {
    throw new UserError('embed needs one run or project folder and --out.', 'command line', 'Run `finetune-guide embed runs/<run id> --out features.csv` (or --out features.npy).');
  }
  featureFormatOf(values.out);
  const result = await embedImages(source, { out: values.out, ...(values.layer !== undefined ? { layer: values.layer } : {}) });
  if (values.json) {
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  }
  io.out(`Wrote ${result.images} feature vectors of ${result.dimensions} values (layer "${result.layer}", ${result.source === 'run' ? "the run's adapted model" : 'the base model'}): ${result.files.join(', ')}\n`);
  io.out(`Feature extraction (no network training), validation accuracy: kNN (k=${result.baselines.knn.k}) ${formatPercent(result.baselines.knn.valAccuracy)}, logistic regression ${formatPercent(result.baselines.logistic.valAccuracy)}\n`);
  return EXIT.ok;
}
