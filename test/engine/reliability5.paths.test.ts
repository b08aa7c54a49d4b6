/**
 * Issue 18 part D, paths and imported model folders with the built CLI (needs `npm run build`): `~` on
 * every command, a file where a run folder is expected, predict on a folder of mixed files, labels.json
 * saved by Windows tools, labels that do not fit the model.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { listRunIds } from '../../src/runs';
import { assertUserError, cli, freshProject, removeTemplate } from '../fixtures/reliability/project';

let dir = '';
let run = '';
/** A home folder for `~`: the project and the run are copied into it. */
let home = '';
before(async () => {
  dir = await freshProject();
  const trained = cli(['train', dir, '--backend', 'cpu']);
  assert.equal(trained.status, 0, trained.stderr);
  run = path.join(dir, 'runs', (await listRunIds(path.join(dir, 'runs')))[0] as string);
  home = await mkdtemp(path.join(tmpdir(), 'ftg-home-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
  await removeTemplate();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a quoted "~/..." (or --out=~/...) on every command is the home folder, never a folder named ~', async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'ftg-cwd-'));
  try {
    await cp(dir, path.join(home, 'project'), { recursive: true });
    await copyFile(path.join(dir, 'data', 'dark', '0.png'), path.join(home, 'photo.png'));
    const homeRun = `~/project/runs/${path.basename(run)}`;
    const run2 = (args: string[]) => {
      const result = spawnIn(work, args);
      assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
      return result;
    };
    run2(['inspect', '~/project/finetune.json']);
    assert.match(run2(['predict', homeRun, '~/photo.png']).stdout, /photo\.png: (dark|light) /);
    run2(['export', homeRun, '--out=~/exported']);
    assert.ok((await readdir(path.join(home, 'exported'))).includes('model.json'), 'exported into the home folder');
    run2(['report', homeRun]);
    run2(['embed', homeRun, '--out', '~/features.csv']);
    assert.ok((await readdir(home)).includes('features.csv'));
    run2(['init', '~/new project', '--model', '~/project/model/model.json', '--data=~/project/data']);
    assert.ok((await readdir(path.join(home, 'new project'))).includes('finetune.json'));
    assert.deepEqual(await readdir(work), [], 'nothing was made in the working folder (no "~" folder)');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

/** The CLI run from `cwd` with HOME set to the test's home folder. */
function spawnIn(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return cli(args, { HOME: home, USERPROFILE: home });
  } finally {
    process.chdir(previous);
  }
}

test('a file where a run folder is expected (report, predict, export): exit 2 saying it is a file', async () => {
  const file = path.join(dir, 'notes.txt');
  await writeFile(file, 'not a run');
  const image = path.join(dir, 'data', 'dark', '0.png');
  for (const args of [['report', file], ['predict', file, image], ['export', file, '--out', path.join(dir, 'out')]]) {
    assertUserError(cli(args), `${file}: is a file, not a folder`);
  }
  assertUserError(cli(['predict', path.join(run, 'model', 'model.json'), image]), 'is a file, not a folder', 'that holds this model.json');
});

test('predict on a folder of mixed files: each good image predicted, each bad file named, exit 2 with the count', async () => {
  const folder = path.join(dir, 'to classify');
  await mkdir(path.join(folder, 'more'), { recursive: true });
  await copyFile(path.join(dir, 'data', 'dark', '0.png'), path.join(folder, 'a.png'));
  await copyFile(path.join(dir, 'data', 'light', '0.png'), path.join(folder, 'more', 'b.png'));
  await writeFile(path.join(folder, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2]));
  await writeFile(path.join(folder, 'Thumbs.db'), 'windows thumbnails');
  const result = cli(['predict', run, folder]);
  assertUserError(result, path.join(folder, 'broken.jpg'), '1 of 3 images could not be predicted');
  for (const file of [path.join(folder, 'a.png'), path.join(folder, 'more', 'b.png')]) assert.match(result.stdout, new RegExp(`${escape(file)}: (dark|light) `));
  assert.ok(!result.stderr.includes('Thumbs.db'), 'system files are left out');
  const empty = path.join(dir, 'empty folder');
  await mkdir(empty);
  assertUserError(cli(['predict', run, empty]), `${empty}: is a folder with no files in it`);
});

/** An exported copy of the run's model whose labels.json is `labels` (bytes). */
async function modelWithLabels(name: string, labels: Buffer): Promise<string> {
  const out = path.join(dir, name);
  const exported = cli(['export', run, '--out', out]);
  assert.equal(exported.status, 0, exported.stderr);
  await writeFile(path.join(out, 'labels.json'), labels);
  return out;
}

test('labels.json of an imported model saved with a BOM and CRLF, or as UTF-16 (Notepad, PowerShell): read', async () => {
  const text = '[\r\n  "dark",\r\n  "light"\r\n]\r\n';
  const image = path.join(dir, 'data', 'dark', '0.png');
  for (const [name, bytes] of [
    ['utf8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['utf16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ] as const) {
    const model = await modelWithLabels(`model ${name}`, bytes);
    const result = cli(['predict', model, image]);
    assert.equal(result.status, 0, `${name}: ${result.stderr}`);
    assert.match(result.stdout, /: (dark|light) \d/);
  }
});

test('labels.json that does not fit the model (3 names for 2 outputs, 1 name, a name twice): exit 2 naming it', async () => {
  const image = path.join(dir, 'data', 'dark', '0.png');
  for (const [labels, expected] of [
    [['dark', 'light', 'grey'], 'has 3 class names, but the model has 2 outputs'],
    [['dark'], 'has 1 class name, but the model has 2 outputs'],
    [['dark', 'dark'], 'names the class "dark" twice'],
  ] as const) {
    const model = await modelWithLabels(`model ${labels.length} ${labels[1] ?? ''}`, Buffer.from(JSON.stringify(labels)));
    const result = cli(['predict', model, image]);
    assertUserError(result, path.join(model, 'labels.json'), expected);
    assert.equal(result.stdout, '', 'nothing predicted with wrong names');
  }
  assert.ok((await readFile(path.join(run, 'model', 'labels.json'), 'utf8')).includes('dark'));
});
