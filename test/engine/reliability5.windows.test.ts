/**
 * Issue 18 part D, names Windows refuses beyond class folders, with the built CLI (needs `npm run build`):
 * images and folders below the class folders, and an export's destination (`--out aux`, `--out "model."`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { listRunIds, readManifest } from '../../src/runs';
import { cli, freshProject, removeTemplate } from '../fixtures/reliability/project';

let dir = '';
before(async () => {
  dir = await freshProject();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeTemplate();
});

test('images named con.png, "what?.png", or in folders "aux", "day 1." below a class: trained, one warning naming them', async () => {
  const dark = path.join(dir, 'data', 'dark');
  await mkdir(path.join(dark, 'aux'));
  await mkdir(path.join(dark, 'day 1.'));
  const odd = [path.join(dark, 'con.png'), path.join(dark, 'what?.png'), path.join(dark, 'day 1.', 'a.png'), path.join(dark, 'aux', 'inside.png')];
  for (const file of odd) await copyFile(path.join(dark, '0.png'), file);
  const result = cli(['train', dir, '--json', '--backend', 'cpu']);
  assert.equal(result.status, 0, result.stderr);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
  const warning = events.find((e) => e.type === 'warning' && e.message.includes('cannot be copied to Windows'));
  assert.ok(warning?.type === 'warning', 'a warning about the names');
  for (const file of odd) assert.ok(warning.message.includes(file), `names ${file}: ${warning.message}`);
  for (const reason of [/^4 images /, /CON is a reserved device name/, /holds "\?"/, /"day 1\.": Windows drops a trailing space or dot/]) assert.match(warning.message, reason);
  assert.ok(!warning.message.includes(path.join(dark, '0.png')), 'portable names are not listed');
  const done = events[events.length - 1];
  assert.ok(done?.type === 'done');
  assert.ok((await readManifest(done.runDir))?.warnings?.some((w) => w.includes('cannot be copied to Windows')), 'in the manifest');
});

test('export --out aux / "model." / "a:b": exported here, with a warning that Windows cannot make that folder', async () => {
  const runs = path.join(dir, 'runs');
  if ((await listRunIds(runs)).length === 0) assert.equal(cli(['train', dir, '--backend', 'cpu']).status, 0);
  const run = path.join(runs, (await listRunIds(runs))[0] as string);
  for (const [name, problem] of [['aux', 'AUX is a reserved device name'], ['model.', 'trailing space or dot'], ['a:b', '":"']] as const) {
    const dest = path.join(dir, name);
    const result = cli(['export', run, '--out', dest]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stderr.includes(`warning: ${dest}: the folder name`) && result.stderr.includes(problem), `${name}: ${result.stderr}`);
    assert.ok((await readdir(dest)).includes('model.json'));
  }
  const plain = cli(['export', run, '--out', path.join(dir, 'exported')]);
  assert.equal(plain.status, 0);
  assert.doesNotMatch(plain.stderr, /warning/);
});
