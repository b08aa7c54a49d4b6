/**
 * Issue 7's per-sample cases at the CLI level (needs `npm run build`): a messy data folder trains to
 * the end; every unusable file is skipped with a warning that lists it and is recorded in the run's
 * manifest; odd but valid images (grey, RGBA, 16-bit, palette, names with spaces and non-ASCII
 * characters) are used; nothing outside the run folder is written.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import sharp from 'sharp';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest } from '../../src/runs';
import { cli, freshProject, pngHeaderOnly, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

after(removeTemplate);

/** A 32x32 RGB noise image (noise keeps the PNG large enough to cut inside its pixel data). */
function noise(seed: number): sharp.Sharp {
  const pixels = Buffer.alloc(32 * 32 * 3);
  let state = seed;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[i] = state >>> 24;
  }
  return sharp(pixels, { raw: { width: 32, height: 32, channels: 3 } });
}

test('a messy data folder: bad files skipped with a warning and in the manifest, odd valid images used, project unchanged', async () => {
  const dir = await freshProject();
  try {
    const dark = path.join(dir, 'data', 'dark');
    const light = path.join(dir, 'data', 'light');
    const bad = {
      text: path.join(dark, 'notes.txt'),
      empty: path.join(dark, 'zero bytes.png'),
      corruptJpeg: path.join(dark, 'corrupt.jpg'),
      truncatedPng: path.join(dark, 'truncated.png'),
      truncatedJpeg: path.join(light, 'truncated.jpg'),
      huge: path.join(light, 'huge 12000x12000.png'),
    };
    await writeFile(bad.text, 'not an image');
    await writeFile(bad.empty, '');
    await writeFile(bad.corruptJpeg, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]));
    const png = await noise(1).png().toBuffer();
    await writeFile(bad.truncatedPng, png.subarray(0, Math.floor(png.length / 2)));
    const jpeg = await noise(2).jpeg().toBuffer();
    await writeFile(bad.truncatedJpeg, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await writeFile(bad.huge, pngHeaderOnly(12000, 12000));

    const good = [
      path.join(dark, 'grey scan.png'), path.join(dark, 'rgba ç.png'), path.join(light, '16-bit.png'),
      path.join(light, 'palette.png'), path.join(light, 'café noir.jpg'), path.join(dark, '写真.png'),
    ];
    await noise(3).greyscale().toColourspace('b-w').png().toFile(good[0]);
    await noise(4).ensureAlpha(0.5).png().toFile(good[1]);
    await noise(5).toColourspace('rgb16').png().toFile(good[2]);
    await noise(6).png({ palette: true, colours: 16 }).toFile(good[3]);
    await noise(7).jpeg().toFile(good[4]);
    await noise(8).png().toFile(good[5]);

    const before = await snapshotTree(dir);
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);

    const warned = events.flatMap((e) => (e.type === 'warning' ? (e.files ?? []).map((f) => f.file) : []));
    for (const file of Object.values(bad)) assert.ok(warned.includes(file), `a warning lists ${file}`);
    const done = events[events.length - 1];
    assert.ok(done.type === 'done' && done.status === 'completed');

    const manifest = await readManifest(done.runDir);
    assert.ok(manifest);
    assert.deepEqual(manifest.skipped.map((s) => s.file).sort(), Object.values(bad).sort(), 'the manifest records exactly the bad files');
    assert.match(manifest.skipped.find((s) => s.file === bad.huge)?.reason ?? '', /12000x12000 pixels, over the .*limit/);
    // The two truncated files pass the header check, so they are counted in the split, then skipped at decode.
    assert.equal(manifest.trainImages + manifest.valImages, 10 + good.length + 2, 'every valid image, odd or not, is used');

    // Only the run folder is new: the project (images, model, finetune.json) is byte-for-byte as before.
    assert.deepEqual(await snapshotTree(dir, ['runs']), before);
    assert.deepEqual(await readdir(path.join(dir, 'runs')), [path.basename(done.runDir)]);
    assert.equal(JSON.parse(await readFile(path.join(done.runDir, 'summary.json'), 'utf8')).status, 'completed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
