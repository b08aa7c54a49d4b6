// `node scripts/recipe-compare.mjs [--data DIR]...`: trains the demo project (and any other image folders
// given) with each recipe below, each with a held-out test split, and prints
// validation and test accuracy side by side. It is how the README's recipe table was measured.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);

const args = process.argv.slice(2);
const folders = [path.join(root, 'assets', 'demo-data', 'fashion')];
for (let i = 0; i < args.length; i++) if (args[i] === '--data') folders.push(path.resolve(args[++i]));

/** Each recipe rewrites the two default phases (today's default is `cosine`) (train head, fine-tune top blocks); everything else stays. */
const RECIPES = {
  // The default before schedules existed: constant rates, 1e-2 then 1e-4.
  constant: ([head, top]) => [{ ...head, schedule: 'constant' }, { ...top, schedule: 'constant', learningRate: 1e-4 }],
  // Cosine decay in both phases, discriminative rates 1e-5..1e-4 on the unfrozen blocks.
  cosine: ([head, top]) => [
    { ...head, schedule: 'cosine' },
    { ...top, schedule: 'cosine', learningRate: { from: 1e-5, to: 1e-4 } },
  ],
  // fastai-like: one-cycle with label smoothing 0.1, discriminative 1e-5..1e-3 when fine-tuning.
  onecycle: ([head, top]) => [
    { ...head, schedule: 'onecycle', labelSmoothing: 0.1 },
    { ...top, schedule: 'onecycle', learningRate: { from: 1e-5, to: 1e-3 }, labelSmoothing: 0.1 },
  ],
};
const pick = args.indexOf('--recipes');
const recipes = pick >= 0 ? args[pick + 1].split(',') : Object.keys(RECIPES);

function train(dataFolder, recipe) {
  const dir = mkdtempSync(path.join(tmpdir(), 'recipe-'));
  const project = path.join(dir, 'p');
  const init = spawnSync(process.execPath, [cli, 'init', project, '--model', 'builtin:mobilenet_v2', '--data', dataFolder], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(init.stderr);
  const file = path.join(project, 'finetune.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.data = { ...config.data, validationSplit: 0.2, testSplit: 0.2 };
  config.phases = RECIPES[recipe](config.phases);
  writeFileSync(file, JSON.stringify(config, null, 2));
  const started = Date.now();
  const run = spawnSync(process.execPath, [cli, 'train', project], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stdout + run.stderr);
  const runs = path.join(project, 'runs');
  const runDir = path.join(runs, readdirSync(runs).filter((n) => /^\d/.test(n)).sort().at(-1));
  const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  return { val: summary.valAccuracy, test: summary.testAccuracy, seconds: (Date.now() - started) / 1000 };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log('| data | recipe | validation | test | time |\n|---|---|---|---|---|');
for (const folder of folders) {
  for (const recipe of recipes) {
    const r = train(folder, recipe);
    console.log(`| ${path.basename(folder)} | ${recipe} | ${pct(r.val)} | ${pct(r.test)} | ${r.seconds.toFixed(0)} s |`);
  }
}
