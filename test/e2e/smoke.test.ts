/** Smoke: the packaged extension loads in code-server and its commands are in the palette. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { REPO_ROOT } from './harness/packageExtension';

interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

/** Palette titles of the commands always in the palette (no `commandPalette` condition in the manifest). */
function paletteTitles(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
  const hidden = new Set((manifest.contributes?.menus?.commandPalette ?? []).map((m) => m.command));
  return (manifest.contributes?.commands ?? [])
    .filter((c) => !hidden.has(c.command))
    .map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
}

test('code-server loads the packaged extension and the palette lists its commands', { timeout: 240_000 }, async (t) => {
  const expected = paletteTitles();
  assert.ok(expected.some((title) => title === 'Fine-Tune: New Project'), 'package.json contributes "Fine-Tune: New Project"');

  const vscode = await openVsCode(t, 'smoke');
  const listed = await vscode.workbench.paletteCommands('Fine-Tune');
  await vscode.screenshot('palette');
  for (const title of expected.filter((title) => title.startsWith('Fine-Tune'))) {
    assert.ok(listed.includes(title), `palette lists "${title}" (got: ${listed.join(', ')})`);
  }
});
