/**
 * A bad value in finetune.json shows in the Problems view at its place, in plain words, with a quick
 * fix; applying the fix clears it. A syntax error there says what is expected, never the parser's code.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { tinyProjectText, writeTinyProject } from './fixtures/project';

const SOURCE = 'Fine-Tune Guide';

test('finetune.json problems are in the Problems view and the quick fix clears them', { timeout: 600_000 }, async (t) => {
  // inputSize above the schema's 1024: the quick fix clamps it.
  const bad = tinyProjectText().replace('"inputSize": 32', '"inputSize": 4000');
  const badLine = bad.split('\n').findIndex((line) => line.includes('4000'));
  const badColumn = bad.split('\n')[badLine].indexOf('4000');
  const vscode = await openVsCode(t, 'diagnostics', {
    prepareWorkspace: async (workspace) => {
      const file = await writeTinyProject(workspace);
      await writeFile(file, bad);
    },
  });
  const { page, workbench, editor } = vscode;
  const markers = page.locator('.markers-panel .monaco-list-row');
  const ours = markers.filter({ hasText: SOURCE });
  /** Puts the cursor at a line and column of the active editor (Quick Open's ":line:column"; the browser keeps Ctrl+G). */
  const goTo = async (line: number, column: number): Promise<void> => {
    await workbench.closeQuickInput();
    await editor.active.click({ position: { x: 300, y: 10 } });
    await page.keyboard.press('Control+P');
    await workbench.quickInputBox.waitFor({ state: 'visible' });
    await workbench.quickInputBox.fill(`:${line}:${column}`);
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await workbench.quickInput.waitFor({ state: 'hidden' });
  };
  const showProblems = async (): Promise<void> => {
    if (await page.locator('.markers-panel').isVisible()) return;
    await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)').catch(() => page.keyboard.press('Control+Shift+M'));
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
  };

  await t.test('a closed finetune.json with a bad value is listed, at the value, in plain words', async () => {
    await showProblems();
    await ours.first().waitFor({ state: 'visible', timeout: 90_000 });
    const rows = await ours.allInnerTexts();
    await vscode.screenshot('1-problem-listed');
    console.log(`e2e diagnostics: Problems view rows (ours): ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`);
    assert.equal(rows.length, 1, `one problem from ${SOURCE}: ${rows.join(' | ')}`);
    assert.match(rows[0], /model\.inputSize: 4000 is not allowed; use a whole number >= 8 and <= 1024/);
    assert.match(rows[0], new RegExp(`Ln ${badLine + 1}, Col ${badColumn + 1}\\b`), `the problem sits on the value (line ${badLine + 1}, column ${badColumn + 1}): ${rows[0]}`);
  });

  await t.test('the quick fix clamps the value and the Problems view clears', async () => {
    await editor.open('finetune.json');
    await showProblems();
    await page.waitForTimeout(2_000); // the JSON language service's own checks arrive after opening
    const opened = await markers.allInnerTexts();
    assert.ok(opened.every((row) => !/Comments are not permitted/.test(row)), `finetune.json opens as JSON with comments: ${opened.join(' | ')}`);
    // The value is underlined; with the cursor on it, Ctrl+. offers the fix.
    await editor.active.locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
    await goTo(badLine + 1, badColumn + 2);
    await vscode.screenshot('2-squiggle');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to 1024' }).first();
    await fix.waitFor({ state: 'visible', timeout: 15_000 });
    await vscode.screenshot('3-quick-fix');
    // The menu's first fix is focused; a click would land on the menu's pointer guard.
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await editor.visibleText()).includes('"inputSize": 1024'), 'the editor to show the clamped value');
    await waitUntil(async () => (await ours.count()) === 0, `the ${SOURCE} problem to leave the Problems view`, 30_000);
    await vscode.screenshot('4-cleared');
    const all = await markers.allInnerTexts();
    assert.equal(all.filter((row) => row.includes('inputSize') || row.includes('1024')).length, 0, `no problem left about inputSize: ${all.join(' | ')}`);
  });

  await t.test('a syntax error is said in words, not as the parser code', async () => {
    await goTo(bad.split('\n').findIndex((line) => line.includes('"version": 1,')) + 1, 100);
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await showProblems();
    await ours.first().waitFor({ state: 'visible', timeout: 30_000 });
    const rows = await ours.allInnerTexts();
    await vscode.screenshot('5-syntax-error');
    console.log(`e2e diagnostics: syntax error rows: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`);
    assert.ok(rows.some((row) => row.includes('a property name in double quotes is expected here')), rows.join(' | '));
    assert.ok(rows.every((row) => !row.includes('PropertyNameExpected')), rows.join(' | '));
  });
});
