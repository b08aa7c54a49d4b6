/** `finetune-guide init <dir> --demo | --model <model file | builtin:<id>> --data <folder>` */
import { parseArgs } from 'node:util';
import { initProject, UserError } from '../../engine';
import { builtinRefsText } from '../../engine/model/builtins';
import { EXIT, type CliIO } from './io';

export async function initCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { demo: { type: 'boolean', default: false }, model: { type: 'string' }, data: { type: 'string' } },
  });
  const usage = `Run \`finetune-guide init <dir> --demo\` or \`finetune-guide init <dir> --model <model file | ${builtinRefsText()}> --data <folder>\`.`;
  if (positionals.length !== 1) throw new UserError('init needs exactly one project folder.', 'command line', usage);
  if (values.demo && (values.model || values.data)) throw new UserError('--demo cannot be combined with --model or --data.', 'command line', usage);
  if (!values.demo && !(values.model && values.data)) throw new UserError('init needs --demo, or both --model and --data.', 'command line', usage);
  const result = await initProject(positionals[0], values.demo ? { demo: true } : { model: values.model ?? '', data: values.data ?? '' });
  const phases = result.config.phases;
  io.out(`Created ${result.projectFile}\n`);
  io.out(`  model: ${result.config.model.base}, cut at "${result.cutLayer}"${result.droppedLayers.length ? ` (replacing ${result.droppedLayers.join(', ')})` : ''}, input ${result.inputSize}x${result.inputSize}\n`);
  io.out(`  data: ${result.dataDir}${result.copiedFiles ? ` (${result.copiedFiles} demo images copied)` : ''}\n`);
  phases.forEach((phase, i) => {
    const trains = i === 1 ? `the head + the last ${result.lastBlocks} blocks (${result.phase2Layers.length} layers from ${result.phase2Layers[0] ?? '?'})` : typeof phase.trainable === 'string' ? phase.trainable : JSON.stringify(phase.trainable);
    io.out(`  phase ${i + 1} "${phase.name}": ${phase.epochs} epochs, ${phase.optimizer} lr ${phase.learningRate}, trains ${trains}\n`);
  });
  io.out(`Next: finetune-guide train ${positionals[0]}\n`);
  return EXIT.ok;
}
