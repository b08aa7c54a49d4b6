/** The one pipeline stage model the panel and the report both draw (src/shared/pipelineStages.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STAGE_IDS } from '../../src/protocol/webview';
import { PIPELINE_STAGES, phasesOfStage, stageOfPhase, stageTitle } from '../../src/shared/pipelineStages';

test('the stages come in recipe order, each with its title', () => {
  assert.deepEqual(PIPELINE_STAGES.map((s) => s.id), [...STAGE_IDS]);
  assert.deepEqual(PIPELINE_STAGES.map((s) => s.title), [
    'Pre-trained model', 'Adjust architecture', 'Freeze initial layers', 'Train final layers', 'Unfreeze & fine-tune', 'Adapted model', 'Distill',
  ]);
  assert.equal(stageTitle('finetune'), 'Unfreeze & fine-tune');
});

test('the first phase trains the final layers and every later phase fine-tunes', () => {
  assert.deepEqual([0, 1, 2].map(stageOfPhase), ['train', 'finetune', 'finetune']);
  const phases = ['head', 'top-blocks', 'all'];
  assert.deepEqual(phasesOfStage(phases, 'train'), ['head']);
  assert.deepEqual(phasesOfStage(phases, 'finetune'), ['top-blocks', 'all']);
  assert.deepEqual(phasesOfStage([], 'finetune'), []);
});

