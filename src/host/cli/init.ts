/** `finetune-guide init <dir> --demo | --model <model file | builtin:<id>> --data <folder> [--pixel-range R] [--keep-classifier]` */
import { parseArgs } from 'node:util';
import { initProject, UserError } from '../../engine';
import { builtinRefsText } from '../../engine/model/builtins';
import { formatLearningRate } from '../../engine/train/learningRates';
import { isPixelRange, PIXEL_RANGES } from '../../engine/data/pixelRange';
import { EXIT, type CliIO } from './io';

/** `--pixel-range -1..1`: a value starting with "-" would be read as an option; join it to its flag. */
function joinPixelRange(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === '--pixel-range' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--pixel-range=${next}`);
      i++;
    } else out.push(args[i] as string);
  }
  return out;
}

export async function initCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinPixelRange(args),
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      model: { type: 'string' },
      data: { type: 'string' },
      'pixel-range': { type: 'string' },
      'keep-classifier': { type: 'boolean', default: false },
    },
  });
  const usage = `Run \`finetune-guide init <dir> --demo\` or \`finetune-guide init <dir> --model <model file | ${builtinRefsText()}> --data <folder> [--pixel-range ${PIXEL_RANGES.join('|')}] [--keep-classifier]\`.`;
  if (positionals.length !== 1) throw new UserError('init needs exactly one project folder.', 'command line', usage);
  const ownOnly = values.model || values.data || values['pixel-range'] !== undefined || values['keep-classifier'];
  if (values.demo && ownOnly) throw new UserError('--demo cannot be combined with --model, --data, --pixel-range or --keep-classifier.', 'command line', usage);
  const pixelRange = values['pixel-range'];
  if (pixelRange !== undefined && !isPixelRange(pixelRange)) {
    throw new UserError(`--pixel-range "${pixelRange}" is not a pixel range.`, 'command line', `Use one of ${PIXEL_RANGES.join(', ')} (0..1: pixel / 255; -1..1: pixel / 127.5 - 1; 0..255: the model scales itself).`);
  }
  if (!values.demo && !(values.model && values.data)) throw new UserError('init needs --demo, or both --model and --data.', 'command line', usage);
  const result = await initProject(
    positionals[0],
    values.demo ? { demo: true } : { model: values.model ?? '', data: values.data ?? '', ...(pixelRange ? { pixelRange } : {}), keepClassifier: values['keep-classifier'] },
  );
  const phases = result.config.phases;
  io.out(`Created ${result.projectFile}\n`);
  io.out(`  model: ${result.config.model.base}, cut at "${result.cutLayer}"${result.droppedLayers.length ? ` (replacing ${result.droppedLayers.join(', ')})` : ''}, input ${result.inputSize}x${result.inputSize}\n`);
  io.out(`  pixel range: ${result.pixelRange} (${result.pixelRangeSource === 'guessed' ? 'guessed from the first layers; change "model.pixelRange" if the model was trained otherwise' : result.pixelRangeSource === 'stated' ? 'stated by the model' : 'as given'})${result.config.head.keepClassifier ? ', keeping the model\'s classifier' : ''}\n`);
  io.out(`  data: ${result.dataDir}${result.copiedFiles ? ` (${result.copiedFiles} demo images copied)` : ''}\n`);
  phases.forEach((phase, i) => {
    const trains = i === 1 ? `the head + the last ${result.lastBlocks} blocks (${result.phase2Layers.length} layers from ${result.phase2Layers[0] ?? '?'})` : typeof phase.trainable === 'string' ? phase.trainable : JSON.stringify(phase.trainable);
    io.out(`  phase ${i + 1} "${phase.name}": ${phase.epochs} epochs, ${phase.optimizer} lr ${formatLearningRate(phase.learningRate)}, trains ${trains}\n`);
  });
  io.out(`Next: finetune-guide train ${positionals[0]}\n`);
  return EXIT.ok;
}
