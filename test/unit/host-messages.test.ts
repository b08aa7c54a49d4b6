// Messages from the training host are validated before the extension or the panel use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportModelRequest, InspectRequest, parseInspectResult, parseTrainResult, PredictRequest, TrainRequest } from '../../src/protocol/host';
import { parseTrainingEvent } from '../../src/protocol/trainingEvent';
import { describeExit, LineTail, meaningfulLines } from '../../src/extension/host/hostErrors';

const epoch = { type: 'epoch', phase: 'head', phaseIndex: 0, epoch: 1, epochs: 5, loss: 0.5, accuracy: 0.8, val_loss: 0.6, val_accuracy: 0.75, lr: 0.001, seconds: 12, imagesPerSecond: 40 };

test('well-formed events pass through unchanged', () => {
  const parsed = parseTrainingEvent(epoch);
  assert.ok('event' in parsed);
  assert.deepEqual(parsed.event, epoch);
  assert.ok('event' in parseTrainingEvent({ type: 'log', level: 'info', message: 'hi' }));
});

test('malformed events are rejected with a reason', () => {
  const cases: [unknown, RegExp][] = [
    [null, /event is null/],
    ['batch', /event is the string "batch"/],
    [{ type: 'explode' }, /unknown event type "explode"/],
    [{ ...epoch, val_accuracy: '0.7' }, /epoch event field "val_accuracy" should be number, got the string "0.7"/],
    [{ ...epoch, epoch: undefined }, /field "epoch" should be number/],
    [{ ...epoch, seconds: Infinity }, /field "seconds" should be number/],
    [{ type: 'done', runDir: '/r', status: 'exploded', summary: {} }, /unknown status "exploded"/],
    [{ type: 'log', level: 'panic', message: 'x' }, /unknown level "panic"/],
    [{ type: 'run', runId: 'a', runDir: '/r', backend: 'cpu', classes: [], phases: [], model: {}, resumedFrom: 3 }, /"resumedFrom" should be string\|null/],
  ];
  for (const [value, reason] of cases) {
    const parsed = parseTrainingEvent(value);
    assert.ok('problem' in parsed, JSON.stringify(value));
    assert.match(parsed.problem, reason);
  }
});

test('a diverged loss (NaN travels as null in JSON) is a real value, restored to NaN', () => {
  const parsed = parseTrainingEvent({ ...epoch, loss: null, val_loss: null });
  assert.ok('event' in parsed && parsed.event.type === 'epoch');
  assert.ok(Number.isNaN(parsed.event.loss) && Number.isNaN(parsed.event.val_loss));
});

test('request results are validated too', () => {
  assert.deepEqual(parseTrainResult({ runDir: '/r', status: 'completed' }), { runDir: '/r', status: 'completed' });
  assert.throws(() => parseTrainResult({ runDir: '/r', status: 'great' }), /malformed train result/);
  assert.throws(() => parseInspectResult({ layers: [{ name: 'x' }], totalParams: 1 }), /layer 0 field "className" should be string/);
  assert.equal(parseInspectResult({ layers: [], totalParams: 0 }).layers.length, 0);
});

test('exit descriptions and stderr tails for the crash message', () => {
  assert.match(describeExit({ code: null, signal: 'SIGKILL' }), /killed \(SIGKILL\).*out of memory/);
  assert.match(describeExit({ code: 134, signal: null }), /ran out of memory \(exit code 134\)/);
  assert.match(describeExit({ code: 3, signal: null }), /exited unexpectedly with code 3/);
  const tail = new LineTail(2);
  assert.deepEqual(tail.push('a\nb'), ['a']);
  tail.push('c\nd\ne');
  assert.deepEqual(tail.snapshot(), ['d', 'e']);
  const stderr = ['Platform node has already been set. Overwriting the platform with node.', '============================', '', 'RangeError: Array buffer allocation failed'];
  assert.deepEqual(meaningfulLines(stderr), ['RangeError: Array buffer allocation failed']);
});

test('each request type rejects malformed params with a reason naming the field, and passes good ones', () => {
  const cases: [{ parseParams(value: unknown): unknown }, unknown, RegExp][] = [
    [InspectRequest, { target: 3 }, /"target" string/],
    [InspectRequest, null, /"target" string/],
    [TrainRequest, { projectFile: '/p/finetune.json', backend: 3 }, /"backend" strings/],
    [TrainRequest, { projectFile: '/p/finetune.json', backend: 'cpu', resume: 7 }, /"resume"/],
    [TrainRequest, { projectFile: '/p/finetune.json', backend: 'cpu', threads: 0 }, /"threads"/],
    [PredictRequest, { modelDir: '/r', files: ['/a.png', 4] }, /"files" array of strings/],
    [PredictRequest, { modelDir: '/r', files: [], topK: 1.5 }, /"topK"/],
    [ExportModelRequest, { runDir: '/r' }, /"destDir"/],
  ];
  for (const [type, value, reason] of cases) assert.throws(() => type.parseParams(value), reason, JSON.stringify(value));
  assert.deepEqual(PredictRequest.parseParams({ modelDir: '/r', files: ['/a.png'] }), { modelDir: '/r', files: ['/a.png'], topK: 3 });
  assert.deepEqual(TrainRequest.parseParams({ projectFile: '/p', backend: 'wasm', resume: true }), { projectFile: '/p', backend: 'wasm', resume: true });
});

test('inspect results keep what a model file says (format, labels, pixel range, containers) and refuse it malformed', () => {
  const layer = { name: 'Conv1', className: 'Conv2D', outputShape: [null, 4, 4, 8], params: 1, trainableParams: 1, block: null, isNew: false, isBatchNorm: false };
  const nested = { ...layer, containers: [{ name: 'model1', className: 'Functional' }] };
  const full = { layers: [nested], totalParams: 1, format: 'TensorFlow.js LayersModel (model.json)', labels: ['Class 1', 'Class 2'], pixelRange: { range: '-1..1', source: 'stated' } };
  assert.deepEqual(parseInspectResult(full), full, 'New Project asks its questions from these: none may be dropped');
  assert.deepEqual(Object.keys(parseInspectResult({ layers: [layer], totalParams: 1 })).sort(), ['layers', 'totalParams']);
  assert.throws(() => parseInspectResult({ ...full, labels: [1] }), /"labels" should be strings/);
  assert.throws(() => parseInspectResult({ ...full, pixelRange: { range: '0..2', source: 'stated' } }), /"pixelRange" should be/);
  assert.throws(() => parseInspectResult({ ...full, format: 3 }), /"format" should be a string/);
  assert.throws(() => parseInspectResult({ layers: [{ ...layer, containers: [{ name: 'x' }] }], totalParams: 1 }), /layer 0 field "containers"/);
});
