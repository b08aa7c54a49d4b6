/**
 * Scenario (issue 17): after a run, the panel's embedding view shows the validation images' features
 * from the base and the adapted model; hovering a dot previews its image and clicking opens it.
 * Then "Distill into a Smaller Model" trains a student from that run and the pipeline's Distill stage
 * compares teacher and student.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { tinyProjectText, writeDemoData } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

const PER_CLASS = 12;

/** The tiny project with a short distillation (the default student is the built-in model cut earlier). */
function projectWithDistill(): string {
  return tinyProjectText().replace('"runsFolder": "runs"', '"distill": { "epochs": 2, "batchSize": 8 },\n  "runsFolder": "runs"');
}

test('embedding view (hover, click) and the Distill stage after distilling', { timeout: 900_000 }, async (t) => {
  const vscode = await openVsCode(t, 'embedding-distill', {
    prepareWorkspace: async (workspace) => {
      await writeDemoData(workspace, 'data', { perClass: PER_CLASS });
      await writeFile(join(workspace, 'finetune.json'), projectWithDistill());
    },
  });
  const { workbench, panel, workspace, page } = vscode;

  await workbench.runCommand('Fine-Tune: Start Training');
  const teacher = await waitUntil(async () => {
    const last = (await runsOnDisk(workspace)).at(-1);
    return last?.summary && last.summary.status !== 'running' ? last : null;
  }, 'the run to finish (summary.json)', 420_000, 500);
  assert.equal(teacher.summary?.status, 'completed', `run completed (${teacher.summary?.message ?? ''})`);

  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
  for (const toast of await workbench.toasts.all()) await toast.locator('.codicon-notifications-clear').click({ timeout: 5_000 }).catch(() => undefined);

  const plots = panel.locator('#embedding .embed-plot');
  await waitUntil(async () => ((await plots.count()) === 2 ? true : null), 'the embedding view to draw both projections', 60_000);
  const validation = PER_CLASS * 2 * 0.2;
  for (const which of ['base', 'adapted']) {
    const dots = await panel.locator(`#embedding .embed-point[data-projection="${which}"]`).count();
    assert.ok(Math.abs(dots - validation) <= 2, `one ${which} dot per validation image (got ${dots}, about ${validation})`);
  }
  assert.deepEqual((await panel.locator('#embedding .embed-legend li').allInnerTexts()).map((s) => s.trim()), ['sneaker', 'trouser']);

  const dot = panel.locator('#embedding .embed-point[data-projection="adapted"]').first();
  await dot.scrollIntoViewIfNeeded();
  await dot.hover();
  const thumb = panel.locator('#embedding .embed-thumb');
  await thumb.waitFor({ state: 'visible', timeout: 10_000 });
  const caption = (await panel.locator('#embedding .embed-caption').innerText()).trim();
  assert.match(caption, /^(sneaker|trouser): (sneaker|trouser)\/\d+\.png$/, `the preview names the hovered image (${caption})`);
  await vscode.screenshot('1-embedding-hover');

  await dot.click();
  const file = caption.split('/').at(-1) ?? '';
  const imageTab = page.locator('.tabs-container .tab').filter({ hasText: file }).first();
  await imageTab.waitFor({ state: 'visible', timeout: 15_000 });
  await vscode.screenshot('2-embedding-opened');
  // Keyboard focus is still inside the webview after the click: give it back to the workbench for the palette.
  await imageTab.click();

  await workbench.runCommand('Fine-Tune: Distill into a Smaller Model');
  const distilled = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir !== teacher.dir && r.summary && r.summary.status !== 'running');
    return run ?? null;
  }, 'the distill run to finish', 420_000, 500);
  const summary = distilled.summary;
  assert.equal(summary?.status, 'completed', `distill completed (${summary?.message ?? ''})`);
  assert.equal(summary?.kind, 'distill');
  assert.ok(summary?.teacher && summary.student && summary.student.params <= summary.teacher.params / 2, 'the student has at most half the teacher\'s parameters');

  await workbench.notification(/distilled into a student/i).waitFor({ state: 'visible', timeout: 60_000 });
  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  for (const toast of await workbench.toasts.all()) await toast.locator('.codicon-notifications-clear').click({ timeout: 5_000 }).catch(() => undefined);
  const stage = await waitUntil(async () => {
    const found = (await panel.stages()).find((s) => s.id === 'distill');
    return found?.status === 'done' ? found : null;
  }, 'the Distill stage to show done', 60_000);
  assert.equal(stage.title, 'Distill');
  const stageText = await panel.locator('#pipeline [data-stage="distill"]').innerText();
  // Teacher -> student for each fact, and the size as a share of the teacher's.
  assert.match(stageText, /teacher → student/, `the Distill stage says which side is which (${stageText})`);
  assert.match(stageText, /Params\s+[\d.]+M → [\d.]+[kM]/, `the Distill stage compares the parameters (${stageText})`);
  assert.match(stageText, /\d+% of teacher/, `the Distill stage gives the student's size (${stageText})`);
  assert.match(stageText, /Baseline acc/, `the Distill stage shows the labels-only baseline (${stageText})`);
  await panel.locator('#pipeline [data-stage="distill"]').scrollIntoViewIfNeeded();
  await vscode.screenshot('3-distill-stage');
});
