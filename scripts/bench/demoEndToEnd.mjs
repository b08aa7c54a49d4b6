// The bench's demo row: `npm run demo`'s training (the demo project, both phases, fresh process each),
// wall time and validation accuracies with augmentation.views 0 (prefix recomputed every step in
// phase 1) against the default views (each augmented view through the frozen prefix once, cached).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';

/** One measured training of the demo project with `views` (null: as `init --demo` writes it). */
function trainDemo(cli, views) {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-demo-'));
  try {
    const project = join(dir, 'demo');
    execFileSync(process.execPath, [cli, 'init', project, '--demo'], { stdio: 'ignore', timeout: 120_000 });
    const configFile = join(project, 'finetune.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    if (views !== null) writeFileSync(configFile, JSON.stringify({ ...config, augmentation: { ...config.augmentation, views } }, null, 2));
    const started = Date.now();
    const lines = execFileSync(process.execPath, [cli, 'train', project, '--json'], { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 }).split('\n');
    const seconds = (Date.now() - started) / 1000;
    const events = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    const phases = events.filter((e) => e.type === 'phaseEnd').map((e) => ({ name: e.summary.name, valAccuracy: e.summary.valAccuracy, seconds: e.summary.seconds }));
    const caches = events.filter((e) => e.type === 'phase').map((e) => e.cache);
    return { views: views ?? config.augmentation.views, seconds, phases, caches };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both trainings, one after the other; an error becomes a row that says so. */
export function benchDemo(cli) {
  const rows = [];
  for (const views of [0, null]) {
    try {
      rows.push(trainDemo(cli, views));
    } catch (error) {
      rows.push({ views, error: String(error.stderr ?? error.message).trim().split('\n').pop() });
    }
  }
  return rows;
}

/** Markdown lines for the bench's output. */
export function demoTable(rows) {
  const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '');
  const out = ['### the demo end to end (`npm run demo`\'s training: 2 phases, 96 px, augmentation on), one fresh process each', ''];
  out.push('| augmentation.views | phase 1 s | phase 1 val | phase 2 s | phase 2 val | wall s | phase 1 cache |');
  out.push('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    if (row.error) {
      out.push(`| ${row.views ?? 'default'} | fails: ${row.error.slice(0, 80)} | | | | | |`);
      continue;
    }
    const [one, two] = row.phases;
    const cache = row.caches[0]?.used ? `cached${row.caches[0].augmentedViews ? `, ${row.caches[0].augmentedViews} views` : ''}` : 'recomputed every step';
    out.push(`| ${row.views} | ${one?.seconds.toFixed(1) ?? ''} | ${pct(one?.valAccuracy)} | ${two?.seconds.toFixed(1) ?? ''} | ${pct(two?.valAccuracy)} | ${row.seconds.toFixed(1)} | ${cache} |`);
  }
  const [fresh, views] = rows;
  if (fresh?.phases?.[0] && views?.phases?.[0]) out.push('', `Phase 1 with views ${views.views} is ${(fresh.phases[0].seconds / views.phases[0].seconds).toFixed(1)}x as fast as with views 0; the whole training ${(fresh.seconds / views.seconds).toFixed(2)}x.`);
  return out;
}
