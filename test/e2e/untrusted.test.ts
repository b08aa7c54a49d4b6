/**
 * Restricted Mode: with workspace trust on and the folder not trusted, the Layers view still lists the
 * model's layers, and Start Training is refused with an explanation on screen (nothing is trained).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

test('in Restricted Mode the layers show and Start Training is refused with the reason', { timeout: 300_000 }, async (t) => {
  const vscode = await openVsCode(t, 'untrusted', {
    restrictedMode: true,
    prepareWorkspace: async (workspace) => {
      await writeTinyProject(workspace);
    },
  });
  const { layers, workbench, page, workspace } = vscode;

  // Should VS Code still ask, stay untrusted.
  const dontTrust = page.getByRole('button', { name: /Don't Trust|Browse in Restricted Mode/i }).first();
  if (await dontTrust.isVisible().catch(() => false)) await dontTrust.click();
  await page.getByText(/Restricted Mode/).first().waitFor({ state: 'visible', timeout: 30_000 });

  await workbench.runCommand('Fine-Tune: Open Layers');
  await layers.open();
  await layers.waitForRow('block_16', 120_000);
  assert.match(await layers.paramSummary(), /\d/, 'the view shows the parameter count in Restricted Mode');
  assert.equal(await layers.isChecked('block_16'), false, 'phase 1 freeze plan shown ("trainable": "head")');

  await workbench.runCommand('Fine-Tune: Start Training');
  const toast = workbench.notification(/Restricted Mode/).first();
  await toast.waitFor({ state: 'visible', timeout: 60_000 });
  const message = await toast.locator('.notification-list-item-message').innerText();
  await vscode.screenshot('1-training-refused');
  assert.match(message, /Training is disabled in Restricted Mode/, `the refusal says why: ${message}`);
  assert.match(message, /Trust this workspace to train/, `the refusal says how to fix it: ${message}`);
  assert.ok(await workbench.notificationButton(toast, 'Manage Workspace Trust').isVisible(), 'offers to manage trust');
  assert.deepEqual(await runsOnDisk(workspace), [], 'no run was started');
  assert.equal(await page.locator('.tab', { hasText: 'Fine-Tune Training' }).count(), 0, 'no empty training panel opened beside the refusal');
});
