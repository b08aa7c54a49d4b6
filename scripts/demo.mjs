// `npm run demo`: create the demo project in a fresh folder (never an existing one), train it with
// the built CLI, and print each phase's result. Ctrl-C stops at the next batch, keeping the checkpoint.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run \`npm run build\` first (npm run demo does).`);
  process.exit(1);
}

function freshFolder() {
  for (let i = 1; ; i++) {
    const dir = path.resolve(i === 1 ? 'demo-project' : `demo-project-${i}`);
    if (!existsSync(dir)) return dir;
  }
}

const dir = freshFolder();
const init = spawnSync(process.execPath, [cli, 'init', dir, '--demo'], { stdio: 'inherit' });
if (init.status !== 0) process.exit(init.status ?? 1);

const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const started = Date.now();
console.log(`\nTraining ${dir} (backend auto; Ctrl-C stops and keeps the checkpoint)...`);
const child = spawn(process.execPath, [cli, 'train', dir, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
process.on('SIGINT', () => undefined); // the child gets Ctrl-C too and saves its checkpoint

let buffer = '';
const results = [];
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  const lines = buffer.split('\n');
  buffer = lines.pop() ?? '';
  for (const line of lines) if (line.trim()) show(JSON.parse(line));
});

const cacheWords = (cache) => (cache.used ? `, frozen base cached${cache.augmentedViews ? ` (${cache.augmentedViews} augmented views per image)` : ''}` : '');

function show(event) {
  switch (event.type) {
    case 'run':
      console.log(`${event.classes.length} classes, ${event.trainImages} training / ${event.valImages} validation images, backend ${event.backend} (${event.threads} threads)`);
      break;
    case 'phase':
      console.log(`\nPhase ${event.phaseIndex + 1} "${event.phase}": ${event.plan.epochs} epochs, ${event.plan.optimizer} lr ${event.plan.learningRateFrom !== undefined ? `${event.plan.learningRateFrom}..` : ''}${event.plan.learningRate}${event.plan.schedule ? ` ${event.plan.schedule}` : ''}, ${event.plan.trainableParams.toLocaleString('en')} trainable parameters, backend ${event.backend}${cacheWords(event.cache)}`);
      break;
    case 'epoch':
      console.log(`  epoch ${event.epoch + 1}/${event.epochs}  loss ${event.loss.toFixed(3)}  acc ${pct(event.accuracy)}  val_loss ${event.val_loss.toFixed(3)}  val_acc ${pct(event.val_accuracy)}  (${Math.round(event.seconds)} s)`);
      break;
    case 'phaseEnd':
      results.push(event.summary);
      console.log(`  => "${event.summary.name}": validation accuracy ${pct(event.summary.valAccuracy)} after ${event.summary.epochsRun} epochs (${Math.round(event.summary.seconds)} s)`);
      break;
    case 'warning':
      console.log(`warning: ${event.message}`);
      break;
    case 'done':
      console.log(`\n${event.status === 'completed' ? 'Done' : `Run ${event.status}`} in ${Math.round((Date.now() - started) / 1000)} s. Run folder: ${event.runDir}`);
      for (const r of results) console.log(`  ${r.name}: val accuracy ${pct(r.valAccuracy)}, ${r.epochsRun} epochs, ${Math.round(r.seconds)} s, ${r.backend}`);
      // What fine-tuning bought: simple classifiers on the untrained base model's features.
      if (event.summary.featureExtraction) console.log(`  feature extraction (no training): kNN ${pct(event.summary.featureExtraction.knn.valAccuracy)}, logistic regression ${pct(event.summary.featureExtraction.logistic.valAccuracy)}`);
      if (event.summary.modelDir) console.log(`Try it: node ${path.relative(process.cwd(), cli)} predict ${path.relative(process.cwd(), event.runDir)} ${path.relative(process.cwd(), path.join(dir, 'data', event.summary.classes[0]))}/000.png`);
      break;
    default:
      break;
  }
}

child.on('close', (code) => process.exit(code ?? 1));
