/**
 * Issue 18: "no command prints a stack trace or 'Unexpected error' for any input a user can make". Every
 * CLI command, run as a user runs it (dist/cli.js in its own process), with the bad inputs a careless user,
 * a script or a container gives: each ends with exit 2 and a message naming the path or flag it is about.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../fixtures/data/make';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const temp = makeTempDir();
const MISSING = join(temp.dir, 'no-such-thing');
const FILE = join(temp.dir, 'notes.txt');
const EMPTY = join(temp.dir, 'empty');
const GARBAGE = join(temp.dir, 'garbage');
writeFileSync(FILE, 'not a project\n');
mkdirSync(EMPTY);
mkdirSync(GARBAGE);
writeFileSync(join(GARBAGE, 'finetune.json'), '{ "version": 1, model: [ ,, }');

/** What each command takes first: a project (or a run folder) positional. */
const COMMANDS = ['inspect', 'train', 'distill', 'lr-find', 'predict', 'export', 'embed', 'report'];
const RUN_FOLDER_COMMANDS = new Set(['predict', 'export', 'report']);
/** A flag that takes a value, per command, given without one. */
const VALUE_FLAGS: Record<string, string> = {
  init: '--model', inspect: '--json', train: '--threads', distill: '--teacher', 'lr-find': '--phase', predict: '--top', export: '--out', embed: '--out', report: '--out',
};
const STACK = /\n\s+at .+:\d+:\d+/;

function run(args: readonly string[]): { code: number | null; text: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: temp.dir });
  return { code: result.status, text: `${result.stdout}${result.stderr}` };
}

function assertUserError(args: readonly string[], names: string | RegExp): void {
  const { code, text } = run(args);
  const shown = `finetune-guide ${args.join(' ')} -> exit ${code}:\n${text}`;
  assert.doesNotMatch(text, STACK, `a stack trace: ${shown}`);
  assert.doesNotMatch(text, /Unexpected error/, shown);
  assert.equal(code, 2, shown);
  if (typeof names === 'string') assert.ok(text.includes(names), `the message names ${names}: ${shown}`);
  else assert.match(text, names, shown);
}

test('every command with a missing path, a file for a folder, an empty folder or a broken finetune.json: exit 2 naming it', () => {
  for (const command of COMMANDS) {
    const extra = command === 'predict' ? [FILE] : command === 'export' || command === 'embed' ? ['--out', join(temp.dir, `out-${command}.csv`)] : [];
    assertUserError([command, MISSING, ...extra], 'no-such-thing');
    assertUserError([command, FILE, ...extra], 'notes.txt');
    assertUserError([command, EMPTY, ...extra], 'empty');
    // predict, export and report take a run folder: for them the folder is what is wrong, not its finetune.json.
    assertUserError([command, GARBAGE, ...extra], RUN_FOLDER_COMMANDS.has(command) ? 'garbage' : 'finetune.json');
  }
  assertUserError(['init', join(FILE, 'project'), '--demo'], 'notes.txt');
  assertUserError(['init', EMPTY, '--model', MISSING, '--data', EMPTY], 'no-such-thing');
});

test('every command with an unknown flag, or a flag without its value: exit 2 naming the flag', () => {
  for (const command of ['init', ...COMMANDS]) {
    assertUserError([command, EMPTY, '--frobnicate'], '--frobnicate');
    const flag = VALUE_FLAGS[command];
    // --json takes no value: inspect is checked with a flag given a value it does not take instead.
    if (command === 'inspect') assertUserError([command, EMPTY, '--json=yes'], /--json/);
    else assertUserError([command, EMPTY, flag], flag);
  }
  assertUserError(['frobnicate'], 'frobnicate');
});
