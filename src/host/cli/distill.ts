/** `finetune-guide distill <dir | finetune.json> [--teacher <run dir>] [--backend ...] [--threads N] [--json]` */
import { parseArgs } from 'node:util';
import { distillProject, UserError } from '../../engine';
import type { DistillModelFacts } from '../../protocol/run';
import { formatParams, formatPercent } from '../../shared/format';
import { engineChoicesOf, ENGINE_OPTIONS } from './engineOptions';
import { EXIT, type CliIO } from './io';
import { ProgressPrinter } from './progress';

export async function distillCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...ENGINE_OPTIONS,
      teacher: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    throw new UserError('distill needs the project: a folder with finetune.json, or the file itself.', 'command line', 'Run `finetune-guide distill <dir | finetune.json> [--teacher <run dir>]`.');
  }
  const { backend, threads } = engineChoicesOf(values);
  const printer = new ProgressPrinter(io);
  const result = await distillProject(positionals[0], {
    teacher: values.teacher,
    backend,
    threads,
    signal: io.signal,
    onEvent: (event) => {
      if (values.json) io.out(`${JSON.stringify(event)}\n`);
      else if (event.type === 'log') io.out(`${event.message}\n`);
      else printer.print(event);
    },
  });
  if (!values.json) {
    const { teacher, student, baseline } = result.summary;
    const line = (name: string, facts: DistillModelFacts | undefined): string =>
      facts ? `  ${name.padEnd(9)} ${formatParams(facts.params).padStart(8)} params  val acc ${formatPercent(facts.valAccuracy).padStart(6)}  ${facts.imagesPerSecond.toFixed(0).padStart(6)} images/s  ${facts.description ?? ''}\n` : '';
    io.out(`Distilled into ${result.runDir}\n${line('teacher', teacher)}${line('student', student)}${line('baseline', baseline)}`);
  }
  return result.status === 'completed' ? EXIT.ok : result.status === 'cancelled' ? EXIT.interrupted : EXIT.unexpected;
}
