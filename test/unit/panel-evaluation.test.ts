/** Reading evaluation.json for the panel: phases, image previews, and damaged files. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { MAX_THUMBNAIL_BYTES, readPanelEvaluation, thumbnail } from '../../src/extension/panel/evaluationReader';
import { fileSource } from '../fixtures/runs/recorded';

const project = path.resolve(__dirname, '..', 'fixtures', 'runs', 'project');
const newest = path.join(project, 'runs', '2026-11-29T08-00-00-000Z');

describe('readPanelEvaluation', () => {
  it('reads every phase, resolves image paths against the project and inlines small previews', async () => {
    const evaluation = await readPanelEvaluation(newest, project, fileSource);
    assert.deepEqual(evaluation.phases.map((p) => p.phase), ['train head', 'fine-tune']);
    assert.equal(evaluation.reportPath, path.join(newest, 'report.md'));
    const first = evaluation.phases[0].worst[0];
    assert.equal(first.file, path.join(project, 'data', 'sneaker', '003.png'));
    assert.match(first.thumbnail ?? '', /^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('gives no evaluation for a run without one, or with a damaged file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-eval-'));
    try {
      assert.deepEqual(await readPanelEvaluation(dir, project, fileSource), { phases: [], test: null, reportPath: null });
      writeFileSync(path.join(dir, 'evaluation.json'), '{"phases": [{"phase": "p"}');
      assert.deepEqual((await readPanelEvaluation(dir, project, fileSource)).phases, []);
      // An entry whose confusion matrix does not match its classes is left out, the rest kept.
      const good = { phase: 'ok', accuracy: 1, classes: ['a'], confusion: [[1]], perClass: [], topK: [], worst: [], samples: 1 };
      writeFileSync(path.join(dir, 'evaluation.json'), JSON.stringify({ phases: [good, { ...good, phase: 'bad', confusion: [] }] }));
      assert.deepEqual((await readPanelEvaluation(dir, project, fileSource)).phases.map((p) => p.phase), ['ok']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('confusion-cell images', () => {
  it('are every evaluated image, resolved against the project, loaded by webview URI; a run from before has none', async () => {
    assert.deepEqual((await readPanelEvaluation(newest, project, fileSource)).phases[0].images, [], 'a recorded run without per-image cells');
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-cells-'));
    try {
      const images = [
        { file: 'data/cat/1.png', trueIndex: 0, predictedIndex: 1, confidence: 0.7 },
        { file: '/abs/dog/2.png', trueIndex: 1, predictedIndex: 1, confidence: 0.9 },
        { file: 'data/cat/3.png', trueIndex: 'x', predictedIndex: 1, confidence: 0.5 },
      ];
      const entry = { phase: 'p', accuracy: 0.5, classes: ['cat', 'dog'], confusion: [[0, 1], [0, 1]], perClass: [], topK: [], worst: [], samples: 2, images };
      writeFileSync(path.join(dir, 'evaluation.json'), JSON.stringify({ phases: [entry] }));
      const [phase] = (await readPanelEvaluation(dir, project, fileSource)).phases;
      assert.deepEqual(phase.images, [
        { file: path.join(project, 'data/cat/1.png'), trueIndex: 0, predictedIndex: 1, confidence: 0.7, src: `webview-resource:${path.join(project, 'data/cat/1.png')}` },
        { file: '/abs/dog/2.png', trueIndex: 1, predictedIndex: 1, confidence: 0.9, src: 'webview-resource:/abs/dog/2.png' },
      ], 'the malformed entry is left out');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('thumbnail', () => {
  it('shrinks a photo too big to inline into a small JPEG preview', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-thumb-'));
    try {
      // 400x300 of noise does not compress: well over the inline limit as a PNG.
      const noise = Buffer.from(Array.from({ length: 400 * 300 * 3 }, (_, i) => (i * 2654435761) % 251));
      const file = path.join(dir, 'photo.png');
      await sharp(noise, { raw: { width: 400, height: 300, channels: 3 } }).png({ compressionLevel: 0 }).toFile(file);
      const preview = await thumbnail(file);
      assert.match(preview ?? '', /^data:image\/jpeg;base64,/);
      const decoded = await sharp(Buffer.from((preview as string).split(',')[1], 'base64')).metadata();
      assert.deepEqual([decoded.width, decoded.height], [168, 126]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips missing files, non-images and images that cannot be decoded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-thumb-'));
    try {
      assert.equal(await thumbnail(path.join(dir, 'missing.png')), null);
      writeFileSync(path.join(dir, 'notes.txt'), 'hello');
      assert.equal(await thumbnail(path.join(dir, 'notes.txt')), null);
      // Too big to inline and not really a JPEG: sharp cannot shrink it either.
      writeFileSync(path.join(dir, 'huge.jpg'), Buffer.alloc(MAX_THUMBNAIL_BYTES + 1));
      assert.equal(await thumbnail(path.join(dir, 'huge.jpg')), null);
      writeFileSync(path.join(dir, 'small.JPG'), Buffer.from([0xff, 0xd8, 0xff]));
      assert.equal(await thumbnail(path.join(dir, 'small.JPG')), 'data:image/jpeg;base64,/9j/');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
