// Edits of finetune.json from the layer tree keep the user's comments and formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser';
import type { TrainableSpec } from '../../src/protocol/config';
import { readProjectView, trainableEdits } from '../../src/extension/project/projectText';
import { UserError } from '../../src/shared/userError';

/** The text after the layer tree's WorkspaceEdit for `phases[index].trainable`. */
function setPhaseTrainable(text: string, phaseIndex: number, spec: TrainableSpec): string {
  return applyEdits(text, trainableEdits(text, phaseIndex, spec));
}

const original = `{
    // my project: do not lose this comment
    "version": 1,
    "model": { "base": "builtin:mobilenet_v2", "cutLayer": "out_relu", "inputSize": 224 },
    "phases": [
        { "name": "head", "trainable": "head", "epochs": 5 },   /* trailing */
        {
            "name": "finetune",
            "trainable": { "lastBlocks": 3 }, // unfreeze a little
            "batchNorm": "train",
            "epochs": 5,
        },
    ],
}
`;

test('changing one phase rewrites only its trainable value', () => {
  const edited = setPhaseTrainable(original, 1, { layers: ['block_16_project', 'dense'] });
  assert.ok(edited.includes('// my project: do not lose this comment'));
  assert.ok(edited.includes('/* trailing */'));
  assert.ok(edited.includes('// unfreeze a little'));
  assert.ok(edited.includes('"epochs": 5,\n        },'), 'trailing commas and indentation kept');
  assert.ok(edited.includes('{ "name": "head", "trainable": "head", "epochs": 5 },'), 'other phases byte-identical');
  const view = readProjectView(edited, 'finetune.json');
  assert.deepEqual(view.phases[1].trainable, { layers: ['block_16_project', 'dense'] });
  // Only the characters of the old value changed.
  const before = original.split('{ "lastBlocks": 3 }');
  assert.ok(edited.startsWith(before[0]) && edited.endsWith(before[1]));
});

test('a simple string value goes in as a string; tabs and CRLF are kept', () => {
  const crlf = '{\r\n\t"phases": [\r\n\t\t{ "name": "a", "trainable": { "fromLayer": "x" } }\r\n\t]\r\n}\r\n';
  const edited = setPhaseTrainable(crlf, 0, 'all');
  assert.equal(edited, '{\r\n\t"phases": [\r\n\t\t{ "name": "a", "trainable": "all" }\r\n\t]\r\n}\r\n');
});

test('reading the project: phases with BatchNorm mode, and errors that name the file, field and fix', () => {
  const view = readProjectView(original, 'finetune.json');
  assert.deepEqual(view.phases.map((p) => [p.name, p.batchNorm]), [['head', 'inference'], ['finetune', 'train']]);
  assert.throws(() => readProjectView('{ "phases": [ }', '/p/finetune.json'), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.match(error.message, /^\/p\/finetune\.json: is not valid JSON at line 1, column 15/);
    return true;
  });
  assert.throws(() => readProjectView('{ "phases": [{ "name": "a", "trainable": "some" }] }', 'finetune.json'), /finetune\.json \(phases\[0\]\.trainable\): has an unknown value "some"\. Use "head"/);
  assert.throws(() => readProjectView('{ "version": 1 }', 'finetune.json'), /\(phases\): has no phases\. Add at least one phase/);
});

test('a model change is visible through modelKey; a freeze change is not', () => {
  const key = readProjectView(original, 'f').modelKey;
  assert.equal(readProjectView(setPhaseTrainable(original, 0, 'all'), 'f').modelKey, key);
  assert.notEqual(readProjectView(original.replace('"out_relu"', '"block_16_project"'), 'f').modelKey, key);
});
