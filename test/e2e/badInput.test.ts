/**
 * Scenario 5: a broken finetune.json and a corrupt image in the data give clear messages in VS Code
 * (naming the file, the field and the fix), and the extension keeps working.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { tinyProjectText, writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

test('bad input gives clear messages and no crash', { timeout: 600_000 }, async (t) => {
  let projectFile = '';
  const vscode = await openVsCode(t, 'bad-input', {
    prepareWorkspace: async (workspace) => {
      projectFile = await writeTinyProject(workspace);
      // A value of the wrong type, as a person might type it.
      await writeFile(projectFile, tinyProjectText().replace('"epochs": 1,', '"epochs": "five",'));
    },
  });
  const { workbench, workspace } = vscode;

  await t.test('a wrong value in finetune.json is named with its field', async () => {
    await workbench.runCommand('Fine-Tune: Start Training');
    const toast = workbench.notification(/finetune\.json/).first();
    await toast.waitFor({ state: 'visible', timeout: 60_000 });
    const message = await toast.locator('.notification-list-item-message').innerText();
    await vscode.screenshot('1-bad-config');
    assert.match(message, /epochs/, `the message names the field: ${message}`);
    // The training status bar item ("starting…") goes away with the error instead of staying stuck.
    await workbench.statusBarItem(/starting…|epoch|phase/i).first().waitFor({ state: 'hidden', timeout: 15_000 });
    assert.equal((await runsOnDisk(workspace)).filter((run) => run.summary?.status === 'completed').length, 0, 'nothing was trained');
    await toast.hover();
    await vscode.page.keyboard.press('Escape');
  });

  await t.test('a syntax error in finetune.json is reported with its line', async () => {
    await writeFile(projectFile, tinyProjectText().replace('"version": 1,', '"version": 1,,'));
    await workbench.runCommand('Fine-Tune: Start Training');
    const toast = workbench.notification(/line \d+/).first();
    await toast.waitFor({ state: 'visible', timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; VS Code showed: ${(await workbench.allNotificationMessages()).join(' | ')}`);
    });
    const message = await toast.locator('.notification-list-item-message').innerText();
    await vscode.screenshot('2-syntax-error');
    assert.match(message, /finetune\.json/, `the message names the file: ${message}`);
  });

  await t.test('a corrupt image is skipped, named, and training still finishes', async () => {
    await writeFile(projectFile, tinyProjectText());
    await writeFile(join(workspace, 'data', 'sneaker', 'corrupt.png'), Buffer.from('this is not a png, the download broke'));
    await workbench.runCommand('Fine-Tune: Start Training');
    await waitUntil(async () => (await runsOnDisk(workspace)).length > 0, 'a run folder to appear', 60_000).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; VS Code showed: ${(await workbench.allNotificationMessages()).join(' | ')}`);
    });
    const run = await waitUntil(async () => {
      const last = (await runsOnDisk(workspace)).at(-1);
      return last?.summary && last.summary.status !== 'running' ? last : null;
    }, 'the run with a corrupt image to finish', 300_000, 250);
    assert.equal(run.summary?.status, 'completed', `training finished despite the corrupt image (${run.summary?.message ?? ''})`);
    // The panel says files were skipped; the log names the file and the reason.
    await workbench.runCommand('Fine-Tune: Open Training Panel');
    await vscode.panel.waitUntilShown();
    await waitUntil(async () => /skipped/i.test(await vscode.panel.text()), 'the panel to say a file was skipped');
    const log = await waitUntil(async () => {
      const text = await vscode.outputChannelLog('Fine-Tune Guide');
      return text.includes('corrupt.png') ? text : null;
    }, 'the "Fine-Tune Guide" log to name corrupt.png');
    const shown = log.split('\n').filter((line) => line.includes('corrupt.png')).join('\n');
    await vscode.screenshot('3-corrupt-image');
    console.log(`e2e bad input: corrupt image reported as: ${shown.slice(0, 200)}`);
  });

  await t.test('the extension still works afterwards', async () => {
    const commands = await workbench.paletteCommands('Fine-Tune');
    assert.ok(commands.includes('Fine-Tune: Start Training'), `commands still listed: ${commands.join(', ')}`);
    await workbench.runCommand('Fine-Tune: Open Layers');
    await vscode.layers.open();
    await vscode.layers.waitForRow('block_16', 120_000);
    await vscode.screenshot('4-still-working');
  });
});
