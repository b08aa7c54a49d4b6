// New Project creates finetune.json through the CLI in a child process (tfjs never loads in VS Code),
// and refuses to write over an existing project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'jsonc-parser';
import { runCliInit } from '../../src/extension/project/runCliInit';
import { UserError } from '../../src/shared/userError';

const cli = join(__dirname, '..', '..', 'src', 'host', 'cli.ts');
// The CLI runs in the project's parent folder, so tsx is passed by absolute URL.
const tsx = ['--import', pathToFileURL(require.resolve('tsx')).href];

test('an existing finetune.json is never overwritten: the CLI says so and the file is unchanged', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ftg-new-'));
  try {
    await writeFile(join(dir, 'finetune.json'), '// mine\n{}');
    await assert.rejects(runCliInit(cli, dir, { demo: true }, tsx), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /already exists; init never overwrites/);
      return true;
    });
    assert.equal(await readFile(join(dir, 'finetune.json'), 'utf8'), '// mine\n{}');
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('the built-in model with an image folder writes the two-phase recipe', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ftg-new-'));
  try {
    const data = join(dir, 'images');
    for (const label of ['cats', 'dogs']) await mkdir(join(data, label), { recursive: true });
    const project = join(dir, 'project');
    const outcome = await runCliInit(cli, project, { model: 'builtin:mobilenet_v2', data }, tsx);
    assert.match(outcome.output, /Created .*finetune\.json/);
    const config = parse(await readFile(join(project, 'finetune.json'), 'utf8')) as { model: { base: string }; phases: { trainable: unknown }[] };
    assert.equal(config.model.base, 'builtin:mobilenet_v2');
    assert.equal(config.phases.length, 2);
    assert.equal(config.phases[0].trainable, 'head');
  } finally {
    await rm(dir, { recursive: true });
  }
});
