/**
 * `--format tfjs` (the default): the run's TensorFlow.js LayersModel as it is, model.json and its weight
 * files copied byte for byte; the README shows how to load it in Node and in a browser.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TFJS_FORMAT } from '../../../shared/exportFormats';
import { loadLayersModelFromDir, MODEL_JSON } from '../modelFolder';
import { BROWSER_SNIPPET, NODE_SNIPPET } from '../readme';
import type { ExportWriter } from './exportWriter';

export const tfjsWriter: ExportWriter = {
  ...TFJS_FORMAT,
  async write({ folder }, dir) {
    await fs.copyFile(path.join(folder.dir, MODEL_JSON), path.join(dir, MODEL_JSON));
    for (const weightFile of folder.weightFiles) {
      await fs.mkdir(path.dirname(path.join(dir, weightFile)), { recursive: true });
      await fs.copyFile(path.join(folder.dir, weightFile), path.join(dir, weightFile));
    }
    return [MODEL_JSON, ...folder.weightFiles];
  },
  reload: loadLayersModelFromDir,
  usage: () => ({
    files: [['`model.json` + `*.bin`', 'the model: topology and weights']],
    sections: [
      `## Node

Save this as \`classify.js\` in this folder, then \`npm install @tensorflow/tfjs sharp\` and
\`node classify.js photo.jpg\`.

\`\`\`js
${NODE_SNIPPET}
\`\`\``,
      `## Browser

\`tf.loadLayersModel('model.json')\` fetches the weight files next to it, so serve this folder over HTTP.
The browser resizes bilinearly, so probabilities can differ from Node's in the last digits.

\`\`\`html
${BROWSER_SNIPPET}
\`\`\``,
      `## Python

\`tensorflowjs_converter --input_format tfjs_layers_model --output_format keras model.json model.h5\` converts it
(pip install tensorflowjs), or export the run with \`--format keras\` or \`--format h5\` directly.`,
    ],
  }),
};
