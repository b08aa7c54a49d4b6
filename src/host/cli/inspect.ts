/** `finetune-guide inspect <model file | builtin:<id> | finetune.json> [--json]` */
import { parseArgs } from 'node:util';
import { inspectModel, UserError } from '../../engine';
import { builtinRef, builtinRefsText, DEFAULT_BUILTIN } from '../../engine/model/builtins';
import { formatParams } from '../../shared/format';
import { EXIT, type CliIO } from './io';

export async function inspectCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) {
    throw new UserError(`inspect takes one model file, ${builtinRefsText(', ')}, or finetune.json.`, 'command line', `Run \`finetune-guide inspect ${builtinRef(DEFAULT_BUILTIN)}\`.`);
  }
  const result = await inspectModel(positionals[0]);
  if (values.json) {
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  }
  const rows = result.layers.map((layer) => [
    layer.name + (layer.isNew ? ' (new)' : ''),
    layer.className,
    JSON.stringify(layer.outputShape).replace(/null/g, 'None'),
    formatParams(layer.params),
    formatParams(layer.trainableParams),
    layer.block ?? '',
  ]);
  const header = ['layer', 'class', 'output shape', 'params', 'trainable', 'block'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const format = (row: readonly string[]): string => row.map((cell, i) => (i === 3 || i === 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  io.out(`${format(header)}\n`);
  for (const row of rows) io.out(`${format(row)}\n`);
  io.out(`${result.layers.length} layers, ${formatParams(result.totalParams)} parameters\n`);
  if (result.format) io.out(`format: ${result.format}\n`);
  if (result.labels) io.out(`labels (${result.labels.length}): ${result.labels.join(', ')}\n`);
  if (result.pixelRange) {
    const how = result.pixelRange.source === 'stated' ? 'stated by the model' : 'guessed from its first layers; set "model.pixelRange" or init --pixel-range if it is wrong';
    io.out(`pixel range: ${result.pixelRange.range} (${how})\n`);
  }
  return EXIT.ok;
}
