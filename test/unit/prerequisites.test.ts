/**
 * Test prerequisites (Chromium, PyTorch, code-server): FINETUNE_GUIDE_CHROMIUM used as given, PATH
 * searched, and with nothing found either an apt-get install (as root) or one line naming the
 * prerequisite and its install command. The machine is a temp folder as PATH (usual install paths
 * off), so the /usr/bin/chromium of this machine cannot answer.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHROMIUM } from '../fixtures/prerequisites/chromium';
import { CODE_SERVER, CODE_SERVER_VERSION } from '../fixtures/prerequisites/codeServer';
import { ensurePrerequisite, PrerequisiteError, type Machine } from '../fixtures/prerequisites/prerequisite';
import { PYTHON_TORCH } from '../fixtures/prerequisites/pythonTorch';

const root = mkdtempSync(path.join(tmpdir(), 'ftg-prerequisites-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;

/** A fresh PATH folder holding the given executables (shell scripts). */
function pathFolder(scripts: Record<string, string> = {}): string {
  const folder = path.join(root, `bin-${folders++}`);
  mkdirSync(folder);
  for (const [name, body] of Object.entries(scripts)) addScript(folder, name, body);
  return folder;
}

function addScript(folder: string, name: string, body: string): void {
  writeFileSync(path.join(folder, name), `#!/bin/sh\n${body}\n`);
  chmodSync(path.join(folder, name), 0o755);
}

const machine = (env: NodeJS.ProcessEnv, isRoot = false): Machine => ({ env, isRoot, searchUsualPaths: false });
const quiet = (): void => undefined;

test('FINETUNE_GUIDE_CHROMIUM is used as given, before PATH', async () => {
  const given = path.join(pathFolder({ 'my-chrome': 'exit 0' }), 'my-chrome');
  const folder = pathFolder({ chromium: 'exit 0' });
  assert.equal(await ensurePrerequisite(CHROMIUM, machine({ FINETUNE_GUIDE_CHROMIUM: given, PATH: folder }), quiet), given);
});

test('a FINETUNE_GUIDE_CHROMIUM that does not exist fails at once naming it, without searching or installing', async () => {
  const folder = pathFolder({ chromium: 'exit 0', 'apt-get': 'exit 1' });
  await assert.rejects(
    ensurePrerequisite(CHROMIUM, machine({ FINETUNE_GUIDE_CHROMIUM: '/nonexistent', PATH: folder }, true), quiet),
    (error: Error) => error instanceof PrerequisiteError && /^Chromium: FINETUNE_GUIDE_CHROMIUM=\/nonexistent is not an executable file/.test(error.message),
  );
});

test('chromium, chromium-browser and google-chrome are found on PATH, in that order', async () => {
  const both = pathFolder({ 'google-chrome': 'exit 0', 'chromium-browser': 'exit 0' });
  assert.equal(await ensurePrerequisite(CHROMIUM, machine({ PATH: both }), quiet), path.join(both, 'chromium-browser'));
  const chrome = pathFolder({ 'google-chrome': 'exit 0' });
  assert.equal(await ensurePrerequisite(CHROMIUM, machine({ PATH: `${pathFolder()}${path.delimiter}${chrome}` }), quiet), path.join(chrome, 'google-chrome'));
});

test('none found and not root: one line naming Chromium and the command that installs it', async () => {
  const folder = pathFolder({ 'apt-get': 'exit 1' });
  await assert.rejects(ensurePrerequisite(CHROMIUM, machine({ PATH: folder }, false), quiet), (error: Error) => {
    assert.ok(error instanceof PrerequisiteError);
    assert.match(error.message, /^Chromium not found \(looked for FINETUNE_GUIDE_CHROMIUM, chromium, chromium-browser, google-chrome/);
    assert.match(error.message, /install it with: sudo apt-get install chromium/);
    assert.doesNotMatch(error.message, /\n/);
    assert.equal(error.stack, `PrerequisiteError: ${error.message}`, 'no stack trace');
    return true;
  });
});

test('none found as root with apt-get: installs Debian\'s chromium once, saying so on one line, then uses it', async () => {
  const folder = pathFolder();
  const calls = path.join(root, 'apt-calls');
  // Stands in for apt-get: records its arguments; `install` puts a chromium on PATH as the package would.
  addScript(folder, 'apt-get', `echo "$@" >> ${calls}\nif [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${folder}/chromium; /bin/chmod 755 ${folder}/chromium; fi`);
  const said: string[] = [];
  const env = { PATH: folder };
  const found = await ensurePrerequisite(CHROMIUM, machine(env, true), (line) => said.push(line));
  assert.equal(found, path.join(folder, 'chromium'));
  assert.deepEqual(said, ["Chromium not found: installing Debian's chromium with apt-get"]);
  assert.equal(await ensurePrerequisite(CHROMIUM, machine(env, true), (line) => said.push(line)), found);
  assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), ['update -q', 'install -y -q chromium'], 'installed once');
  assert.equal(said.length, 1);
});

test('an install that fails, or leaves nothing found, ends in one line naming Chromium', async () => {
  const failing = pathFolder({ 'apt-get': 'echo "E: Unable to locate package chromium" >&2; exit 100' });
  await assert.rejects(ensurePrerequisite(CHROMIUM, machine({ PATH: failing }, true), quiet), /^PrerequisiteError: Chromium: installing Debian's chromium with apt-get failed \(E: Unable to locate package chromium\)/);
  const useless = pathFolder({ 'apt-get': 'exit 0' });
  await assert.rejects(ensurePrerequisite(CHROMIUM, machine({ PATH: useless }, true), quiet), /Chromium: installed Debian's chromium with apt-get but still not found/);
});

test('PyTorch: a python3 that can import torch is used; one that cannot is named with python3-torch', async () => {
  const withTorch = pathFolder({ python3: '[ "$2" = "import torch" ] && exit 0; exit 1' });
  assert.equal(await ensurePrerequisite(PYTHON_TORCH, machine({ PATH: withTorch }), quiet), path.join(withTorch, 'python3'));
  const without = pathFolder({ python3: 'echo "ModuleNotFoundError: No module named torch" >&2; exit 1' });
  await assert.rejects(
    ensurePrerequisite(PYTHON_TORCH, machine({ PATH: without }), quiet),
    /^PrerequisiteError: PyTorch \(python3-torch\) not found \(looked for a python3 that can `import torch` \([^)]*python3\)\); install it with: sudo apt-get install python3-torch/,
  );
});

test('code-server: found in its cache folder, else named with the install script', async () => {
  const cache = path.join(root, 'e2e-cache');
  const bin = path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin');
  await assert.rejects(
    ensurePrerequisite(CODE_SERVER, machine({ PATH: pathFolder(), FINETUNE_E2E_CACHE: cache }), quiet),
    (error: Error) => error.message === `code-server ${CODE_SERVER_VERSION} not found (looked for ${path.join(bin, 'code-server')}); install it with: bash scripts/e2e/install-code-server.sh`,
  );
  mkdirSync(bin, { recursive: true });
  addScript(bin, 'code-server', 'exit 0');
  assert.equal(await ensurePrerequisite(CODE_SERVER, machine({ PATH: pathFolder(), FINETUNE_E2E_CACHE: cache }), quiet), path.join(bin, 'code-server'));
});
