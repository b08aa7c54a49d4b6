/**
 * The README.md written next to an exported model: the facts every format shares; each writer adds how
 * to load its files. The Node snippet (used by the tfjs writer) is executed by the export test, so what it
 * shows is known to work; keep both snippets in step with `imageToInput` (preprocessing.ts).
 */
import { describePixelRange } from '../data/pixelRange';
import type { Preprocessing } from './preprocessing';
import type { ExportUsage } from './writers/exportWriter';

export interface ReadmeFacts {
  readonly classes: readonly string[];
  readonly preprocessing: Preprocessing;
  /** Where the model came from, e.g. the run id. */
  readonly source: string;
  /** Validation accuracy of the adapted model, when known (0..1). */
  readonly valAccuracy?: number;
}

/** The Node example: `node classify.js photo.jpg` inside the exported folder. */
export const NODE_SNIPPET = `// classify.js: node classify.js photo.jpg [more.jpg ...]   (npm install @tensorflow/tfjs sharp)
const fs = require('node:fs');
const path = require('node:path');
const tf = require('@tensorflow/tfjs');
const sharp = require('sharp');

const dir = process.env.MODEL_DIR || __dirname; // the exported folder
const readJson = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

// Plain @tensorflow/tfjs has no file loader: hand it model.json and its weight files.
// (With @tensorflow/tfjs-node: tf.loadLayersModel('file://' + path.join(dir, 'model.json')).)
async function loadModel() {
  const json = readJson('model.json');
  const files = json.weightsManifest.flatMap((group) => group.paths);
  const bytes = Buffer.concat(files.map((file) => fs.readFileSync(path.join(dir, file))));
  const artifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
  return tf.loadLayersModel({ load: async () => artifacts });
}

// pixel * scale + offset for each preprocessing.json "scale" (the model's pixel range)
const SCALES = { '0..1': [1 / 255, 0], '-1..1': [1 / 127.5, -1], '0..255': [1, 0] };

// The same steps as training: RGB (or grey), resized to inputSize x inputSize, scaled to the model's range.
async function toInput(file, pre) {
  const { data } = await sharp(file)
    .rotate()
    .resize(pre.inputSize, pre.inputSize, { fit: pre.fit || 'cover' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  let pixels = new Uint8Array(data);
  if (pre.channels === 1) {
    // grey as training made it: BT.601 luma, rounded (PIL's convert("L"))
    const grey = new Uint8Array(pixels.length / 3);
    for (let i = 0; i < grey.length; i++) grey[i] = (19595 * pixels[3 * i] + 38470 * pixels[3 * i + 1] + 7471 * pixels[3 * i + 2] + 32768) >>> 16;
    pixels = grey;
  }
  const [scale, offset] = SCALES[pre.scale || '0..1'];
  return tf.tidy(() => tf.tensor3d(pixels, [pre.inputSize, pre.inputSize, pre.channels || 3], 'int32').toFloat().mul(scale).add(offset));
}

async function main() {
  const model = await loadModel();
  const labels = readJson('labels.json');
  const pre = readJson('preprocessing.json');
  for (const file of process.argv.slice(2)) {
    const input = await toInput(file, pre);
    // a model without a channel axis ([28, 28]) or a flat one ([784]) takes the same pixels reshaped
    const probs = tf.tidy(() => model.predict(input.reshape([1, ...model.inputs[0].shape.slice(1)])).dataSync());
    input.dispose();
    // one sigmoid output is the probability of the second label
    const scores = probs.length === 1 ? [1 - probs[0], probs[0]] : Array.from(probs);
    const top = scores.map((p, i) => [labels[i], p]).sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(file + ': ' + top.map(([label, p]) => label + ' ' + (100 * p).toFixed(1) + '%').join(', '));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});`;

/** The browser example: a page served from the exported folder. */
export const BROWSER_SNIPPET = `<!-- index.html in this folder; serve the folder over HTTP (e.g. npx http-server .) and open it. -->
<img id="photo" src="photo.jpg">
<pre id="result"></pre>
<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js"></script>
<script>
  async function classify() {
    const model = await tf.loadLayersModel('model.json');
    const labels = await (await fetch('labels.json')).json();
    const pre = await (await fetch('preprocessing.json')).json();
    const img = document.getElementById('photo');
    await img.decode();
    const probs = tf.tidy(() => {
      let x = tf.browser.fromPixels(img).toFloat();
      if ((pre.fit || 'cover') === 'cover') {
        // crop the centre square, as training did
        const [h, w] = x.shape;
        const side = Math.min(h, w);
        x = x.slice([Math.floor((h - side) / 2), Math.floor((w - side) / 2), 0], [side, side, 3]);
      }
      x = tf.image.resizeBilinear(x, [pre.inputSize, pre.inputSize]);
      const [scale, offset] = { '0..1': [1 / 255, 0], '-1..1': [1 / 127.5, -1], '0..255': [1, 0] }[pre.scale || '0..1'];
      if (pre.channels === 1) x = x.mul([0.299, 0.587, 0.114]).sum(-1, true); // grey, as training made it
      x = x.mul(scale).add(offset);
      return model.predict(x.reshape([1, ...model.inputs[0].shape.slice(1)])).dataSync();
    });
    const scores = probs.length === 1 ? [1 - probs[0], probs[0]] : Array.from(probs);
    const top = scores.map((p, i) => [labels[i], p]).sort((a, b) => b[1] - a[1]).slice(0, 3);
    document.getElementById('result').textContent = top.map(([l, p]) => l + ' ' + (100 * p).toFixed(1) + '%').join('\\n');
  }
  classify();
</script>`;

/** README.md for an exported model folder: what the model is, then how to load `usage`'s files. */
export function renderReadme(facts: ReadmeFacts, format: { readonly label: string; readonly usage: ExportUsage }): string {
  const pre = facts.preprocessing;
  const range = describePixelRange(pre.scale);
  const channels = pre.channels ?? 3;
  const accuracy = facts.valAccuracy === undefined ? '' : ` Validation accuracy: ${(100 * facts.valAccuracy).toFixed(1)}%.`;
  const rows = format.usage.files.map(([file, what]) => `| ${file} | ${what} |`).join('\n');
  return `# Adapted image classifier

An image classifier fine-tuned with Fine-Tune Guide (from ${facts.source}).${accuracy} Format: ${format.label}.

| file | what |
|---|---|
${rows}
| \`labels.json\` | class names, in the order of the model's outputs |
| \`preprocessing.json\` | how an image becomes the input |

- Classes (${facts.classes.length}): ${facts.classes.map((c) => `\`${c}\``).join(', ')}
- Input: one ${channels === 1 ? 'grey' : 'RGB'} image of ${pre.inputSize} x ${pre.inputSize} pixels (\`fit: ${pre.fit}\`${pre.fit === 'cover' ? ', the centre is cropped' : ''}), ${range}; the model's input shape says how it is laid out (\`model.inputs[0].shape\`).
- Output: one probability per class (softmax) in the order of \`labels.json\`, or for a one-unit sigmoid output the probability of the second label.

${format.usage.sections.join('\n\n')}
`;
}
