// Builds the .vsix for one VS Code target platform each (vsce --target), carrying only that
// platform's sharp binaries: per target, the packaged files are copied to .cache/vsix/<target>/,
// `npm ci --omit=dev --os --cpu` installs the production dependencies npm picks for that platform
// there (sharp's @img/* packages come from the registry or npm's cache), and vsce packages it.
//
//   node scripts/package.mjs           the current platform (npm run package)
//   node scripts/package.mjs --all     every target in scripts/vsix-targets.json (npm run package:all)
//   node scripts/package.mjs --target darwin-arm64[,win32-x64]
// Writes finetune-guide-<target>-<version>.vsix in the repository root. Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = JSON.parse(readFileSync(join(root, 'scripts', 'vsix-targets.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// On Windows npm is a .cmd, which Node only starts through a shell.
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const viaShell = process.platform === 'win32';

/** The target this machine runs (VS Code's naming: <platform>-<arch>). */
export function currentTarget() {
  return `${process.platform}-${process.arch}`;
}

export function vsixName(target) {
  return `${manifest.name}-${target}-${manifest.version}.vsix`;
}

function chosenTargets(argv) {
  if (argv.includes('--all')) return Object.keys(TARGETS);
  const at = argv.indexOf('--target');
  const targets = at >= 0 ? (argv[at + 1] ?? '').split(',').filter(Boolean) : [currentTarget()];
  const unknown = targets.filter((target) => !(target in TARGETS));
  if (targets.length === 0 || unknown.length > 0) {
    console.error(`package: no .vsix target ${unknown.join(', ') || '(none given)'}; known: ${Object.keys(TARGETS).join(', ')} (scripts/vsix-targets.json)`);
    process.exit(2);
  }
  return targets;
}

/** The files vsce would package from the repository, except node_modules (installed per target instead). */
function packagedFiles() {
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    console.error('package: dist/extension.js is missing; run `npm run build` first');
    process.exit(1);
  }
  const listed = execFileSync(process.execPath, [vsce, 'ls'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const files = listed.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('node_modules/'));
  // vsce reads these itself and never lists them; npm ci needs the lockfile.
  return [...files, '.vscodeignore', 'package-lock.json'];
}

function packageTarget(target, files) {
  const { os, cpu, libc } = TARGETS[target];
  const stage = join(root, '.cache', 'vsix', target);
  rmSync(stage, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(root, file), join(stage, file));
  }
  // --ignore-scripts: no install script has to run for packaging (tfjs-node's would download libtensorflow).
  const platform = [`--os=${os}`, `--cpu=${cpu}`, ...(libc ? [`--libc=${libc}`] : [])];
  execFileSync(npm, ['ci', '--omit=dev', ...platform, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'], shell: viaShell });
  const out = join(root, vsixName(target));
  execFileSync(process.execPath, [vsce, 'package', '--target', target, '--allow-missing-repository', '--out', out], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(stage, { recursive: true, force: true });
  console.log(`${vsixName(target)}  ${(statSync(out).size / 2 ** 20).toFixed(1)} MB  (${target})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const targets = chosenTargets(process.argv.slice(2));
  const files = packagedFiles();
  for (const target of targets) packageTarget(target, files);
}
