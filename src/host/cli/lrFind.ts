/** `finetune-guide lr-find <dir | finetune.json> [--phase N] [--backend ...] [--threads N] [--json]`: the learning-rate finder. */
import { parseArgs } from 'node:util';
import { lrFindProject, UserError } from '../../engine';
import { formatRate } from '../../shared/format';
import { engineChoicesOf, ENGINE_OPTIONS } from './engineOptions';
import { EXIT, type CliIO } from './io';

export async function lrFindCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...ENGINE_OPTIONS,
      phase: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    throw new UserError('lr-find needs the project: a folder with finetune.json, or the file itself.', 'command line', 'Run `finetune-guide lr-find <dir | finetune.json> [--phase N]`.');
  }
  const phase = values.phase === undefined ? 1 : Number(values.phase);
  if (!(Number.isInteger(phase) && phase >= 1)) {
    throw new UserError(`--phase "${values.phase}" is not a phase number (1 is the first phase).`, 'command line', 'For example --phase 2.');
  }
  const { backend, threads } = engineChoicesOf(values);
  const outcome = await lrFindProject(positionals[0], {
    phase, backend, threads, signal: io.signal,
    onEvent: (event) => {
      if (event.type === 'warning') io.err(`warning: ${event.message}\n`);
    },
  });
  if (outcome.status === 'cancelled') return EXIT.interrupted;
  const { result, file, chart } = outcome;
  if (values.json) {
    io.out(`${JSON.stringify({ type: 'lrFind', file, chart, phase: result.phase, phaseName: result.phaseName, suggestion: result.suggestion, steps: result.rates.length, stoppedBy: result.stoppedBy })}\n`);
    return EXIT.ok;
  }
  const last = result.rates[result.rates.length - 1];
  io.out(`Phase ${result.phase} "${result.phaseName}": ${result.rates.length} steps from ${formatRate(result.startRate)} to ${formatRate(last)}`
    + `${result.stoppedBy === 'divergence' ? ' (stopped: the smoothed loss passed 4x its best)' : ''}, batch size ${result.batchSize}, ${result.backend}${result.cacheUsed ? ', frozen-prefix cache' : ''}.\n`);
  if (result.suggestion === null) {
    io.out('No suggestion: the sweep stopped after too few steps to find a valley; see the chart.\n');
  } else {
    io.out(`suggested learning rate: ${formatRate(result.suggestion)}\n`);
  }
  io.out(`Wrote ${file} and ${chart}\n`);
  return EXIT.ok;
}
