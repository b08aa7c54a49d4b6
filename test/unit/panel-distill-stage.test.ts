/** The pipeline's Distill stage after "Adapted model": teacher vs student for a distill run, a pointer for a training run. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildStages } from '../../src/extension/panel/stages';
import { RunRecord } from '../../src/extension/panel/runRecord';
import { PIPELINE_STAGES } from '../../src/shared/pipelineStages';
import { pipelineStages } from '../../src/engine/report/pipeline';
import { distillSection } from '../../src/engine/report/distill';
import { distillSummary } from '../fixtures/runs/distillSummary';

test('Distill comes right after Adapted model in the shared stage list', () => {
  const ids = PIPELINE_STAGES.map((stage) => stage.id);
  assert.equal(ids.indexOf('distill'), ids.indexOf('export') + 1);
  assert.equal(PIPELINE_STAGES.find((stage) => stage.id === 'distill')?.title, 'Distill');
});

test('a distill run shows teacher, student and baseline size, accuracy and speed, and how they compare', () => {
  const record = new RunRecord('r', '/p/runs/r');
  record.setSummary(distillSummary());
  const stages = buildStages(record, []);
  const distill = stages[stages.length - 1];
  assert.equal(distill.id, 'distill');
  assert.equal(distill.status, 'done');
  const fact = (label: string) => distill.facts.find((f) => f.label === label)?.value;
  assert.equal(fact('Compared'), 'teacher → student');
  assert.equal(fact('Params'), '2.26M → 400.0k');
  assert.equal(fact('Val acc'), '95.0% → 90.0%');
  assert.equal(fact('Images/s'), '50.0 → 200.0');
  assert.equal(fact('Baseline acc'), '85.0%');
  assert.equal(fact('Size'), '18% of teacher');
  assert.equal(fact('Speed-up'), '4.0×');
});

test('a finished training run shows Distill pending with the command that does it', () => {
  const record = new RunRecord('r', '/p/runs/r');
  record.setSummary({ ...distillSummary(), kind: undefined, teacher: undefined, student: undefined, baseline: undefined });
  const distill = buildStages(record, []).find((stage) => stage.id === 'distill');
  assert.equal(distill?.status, 'pending');
  assert.match(distill?.facts.map((f) => f.value).join(' ') ?? '', /Distill into a Smaller Model/);
});

test('the report shows the Distill stage and its table', () => {
  const summary = distillSummary();
  const stages = pipelineStages({ summary, manifest: {}, epochs: [], runDir: '/p/runs/r' } as unknown as Parameters<typeof pipelineStages>[0]);
  const stage = stages[stages.length - 1];
  assert.equal(stage.title, 'Distill');
  assert.ok(stage.details.some((d) => d.startsWith('student: 400.0k params')));
  const section = distillSection(summary);
  assert.match(section, /## Distill/);
  assert.match(section, /\| \*\*Teacher\*\* \| 2\.26M \| 95\.0% \| 50\.0 \|/);
  assert.match(section, /\| \*\*Baseline\*\* \| 400\.0k \| 85\.0% \|/);
  assert.equal(distillSection({ ...summary, kind: 'train' }), '');
});
