// Every command declared in package.json is registered in code, and every registered one is declared
// (parsed from the sources, without loading vscode). Menus only name declared commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string }[]>;
    walkthroughs: { steps: { media: { markdown?: string } }[] }[];
    viewsContainers: { activitybar: { icon: string }[] };
    jsonValidation: { url: string }[];
  };
};
const declared = manifest.contributes.commands.map((c) => c.command).sort();

/** `key: 'finetuneGuide.x'` pairs of commandIds.ts. */
function commandIds(): Map<string, string> {
  const source = readFileSync(join(root, 'src/extension/commandIds.ts'), 'utf8');
  return new Map([...source.matchAll(/^\s*(\w+):\s*'([\w.]+)'/gm)].map((m) => [m[1], m[2]]));
}

/** Ids registered in commands/index.ts: `[CommandIds.key]: handler` entries. */
function registered(): string[] {
  const source = readFileSync(join(root, 'src/extension/commands/index.ts'), 'utf8');
  const ids = commandIds();
  return [...source.matchAll(/\[CommandIds\.(\w+)\]:\s*\w+/g)].map((m) => {
    const id = ids.get(m[1]);
    assert.ok(id, `CommandIds.${m[1]} is not defined in commandIds.ts`);
    return id;
  }).sort();
}

test('package.json declares exactly the commands the extension registers', () => {
  assert.deepEqual(registered(), declared);
  assert.deepEqual([...commandIds().values()].sort(), declared);
});

test('every command has the "Fine-Tune" category and a title', () => {
  for (const c of manifest.contributes.commands) {
    assert.equal(c.category, 'Fine-Tune', c.command);
    assert.ok(c.title.length > 0, c.command);
  }
});

test('menus refer only to declared commands', () => {
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(declared.includes(item.command), `${menu}: ${item.command} is not declared`);
  }
});

test('commands are registered from one place only', () => {
  const files = readdirSync(join(root, 'src/extension'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const registering = files.filter((f) => /registerCommand\(/.test(readFileSync(join(root, 'src/extension', f), 'utf8')));
  assert.deepEqual(registering.map((f) => f.split('\\').join('/')), ['commands/index.ts']);
});

test('files the manifest points at exist', () => {
  const files = [
    manifest.contributes.viewsContainers.activitybar[0].icon,
    ...manifest.contributes.jsonValidation.map((v) => v.url),
    ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? '')),
  ];
  for (const file of files) assert.ok(existsSync(join(root, file)), file);
});
