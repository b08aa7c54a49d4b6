// Builds the .vsix for one VS Code target platform each (vsce --target), carrying only that
// platform's sharp binaries. This machine's target is packaged straight from the repository when its
// node_modules/@img holds exactly this platform's binaries (what npm installs here). Any other target:
// the packaged files are copied to .cache/vsix/<target>/, `npm ci --omit=dev --os --cpu` installs the
// production dependencies npm picks for that platform there (sharp's @img/* packages come from the
// registry or npm's cache), and vsce packages that folder.
//
//   node scripts/package.mjs           the current platform (npm run package)
//   node scripts/package.mjs --all     every target in scripts/vsix-targets.json (npm run package:all)
//   node scripts/package.mjs --target darwin-arm64[,win32-x64]
// Writes finetune-guide-<target>-<version>.vsix in the repository root. Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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
function currentTarget() {
  return `${process.platform}-${process.arch}`;
}

function vsixName(target) {
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

/** The files vsce would package from the repository, except node_modules (installed per target instead); listed once. */
let listedFiles;
function packagedFiles() {
  listedFiles ??= listPackagedFiles();
  return listedFiles;
}

function listPackagedFiles() {
  const listed = execFileSync(process.execPath, [vsce, 'ls'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const files = listed.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('node_modules/'));
  // vsce reads these itself and never lists them; npm ci needs the lockfile.
  return [...files, '.vscodeignore', 'package-lock.json'];
}

/** The @img packages with binaries sharp loads on a platform, from sharp's own optionalDependencies. */
function sharpBinaryPackages(os, cpu) {
  const sharp = JSON.parse(readFileSync(join(root, 'node_modules', 'sharp', 'package.json'), 'utf8'));
  return [`@img/sharp-${os}-${cpu}`, `@img/sharp-libvips-${os}-${cpu}`].filter((name) => name in sharp.optionalDependencies).sort();
}

/** Whether the repository's node_modules can be packaged as is for `target`: exactly its sharp binaries. */
function repositoryFits(target) {
  if (target !== currentTarget()) return false;
  const { os, cpu } = TARGETS[target];
  const installed = readdirSync(join(root, 'node_modules', '@img')).filter((name) => name !== 'colour').map((name) => `@img/${name}`).sort();
  return JSON.stringify(installed) === JSON.stringify(sharpBinaryPackages(os, cpu));
}

// README images stay relative (no repository URL to rewrite them to): VS Code shows them from the
// installed extension's docs/images, which the .vsix carries.
function vscePackage(cwd, target) {
  const out = join(root, vsixName(target));
  execFileSync(process.execPath, [vsce, 'package', '--target', target, '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`${vsixName(target)}  ${(statSync(out).size / 2 ** 20).toFixed(1)} MB  (${target}${cwd === root ? ', from this checkout' : ''})`);
}

function packageTarget(target) {
  if (repositoryFits(target)) {
    vscePackage(root, target);
    return;
  }
  const { os, cpu, libc } = TARGETS[target];
  const stage = join(root, '.cache', 'vsix', target);
  rmSync(stage, { recursive: true, force: true });
  for (const file of packagedFiles()) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(root, file), join(stage, file));
  }
  // --ignore-scripts: no install script has to run for packaging (tfjs-node's would download libtensorflow).
  const platform = [`--os=${os}`, `--cpu=${cpu}`, ...(libc ? [`--libc=${libc}`] : [])];
  execFileSync(npm, ['ci', '--omit=dev', ...platform, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'], shell: viaShell });
  vscePackage(stage, target);
  rmSync(stage, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    console.error('package: dist/extension.js is missing; run `npm run build` first');
    process.exit(1);
  }
  for (const target of chosenTargets(process.argv.slice(2))) packageTarget(target);
}
