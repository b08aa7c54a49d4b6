// "Use X for phase N" (Find Learning Rate) writes the rate into finetune.json's text, keeping comments and layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, parse } from 'jsonc-parser';
import { learningRateEdits } from '../../src/extension/project/projectText';

const original = `{
    // my project: do not lose this comment
    "version": 1,
    "phases": [
        { "name": "head", "trainable": "head", "learningRate": 0.001, "epochs": 5 },   /* trailing */
        {
            "name": "finetune",
            "trainable": { "lastBlocks": 3 }, // unfreeze a little
            "learningRate": { "from": 0.00001, "to": 0.0001 }, // discriminative
            "epochs": 5,
        },
    ],
}
`;

test('a number rate is replaced in place; every comment and the other phase stay as written', () => {
  const edited = applyEdits(original, learningRateEdits(original, 0, 0.0025));
  assert.match(edited, /"learningRate": 0\.0025, "epochs": 5 \},   \/\* trailing \*\//);
  for (const comment of ['// my project: do not lose this comment', '/* trailing */', '// unfreeze a little', '// discriminative']) assert.ok(edited.includes(comment), comment);
  // Only the value changed: the texts are the same apart from it.
  assert.equal(edited.replace('0.0025', '0.001'), original);
  const parsed = parse(edited, [], { allowTrailingComma: true }) as { phases: { learningRate: unknown }[] };
  assert.equal(parsed.phases[0]?.learningRate, 0.0025);
  assert.deepEqual(parsed.phases[1]?.learningRate, { from: 0.00001, to: 0.0001 });
});

test('discriminative rates keep their spread: to becomes the rate and from moves by the same factor', () => {
  const edited = applyEdits(original, learningRateEdits(original, 1, 0.0003));
  const parsed = parse(edited, [], { allowTrailingComma: true }) as { phases: { learningRate: unknown }[] };
  assert.deepEqual(parsed.phases[1]?.learningRate, { from: 0.00003, to: 0.0003 });
  assert.equal(parsed.phases[0]?.learningRate, 0.001);
  assert.ok(edited.includes('// discriminative') && edited.includes('// unfreeze a little'));
});

test('a phase without learningRate gets one, in the file\'s indentation; CRLF files stay CRLF', () => {
  const text = '{\r\n  "phases": [\r\n    { "name": "head" } // keep\r\n  ]\r\n}\r\n';
  const edited = applyEdits(text, learningRateEdits(text, 0, 0.01));
  assert.deepEqual((parse(edited) as { phases: unknown[] }).phases[0], { name: 'head', learningRate: 0.01 });
  assert.ok(edited.includes('// keep'));
  assert.ok(!/[^\r]\n/.test(edited), 'no bare LF');
});
