// Makes the built-in base model: MobileNetV2 as shipped in nsfwjs@4.4.0 (MIT), without its
// original 5-class head, as a plain TensorFlow.js LayersModel under assets/models/mobilenet_v2/.
// The weights stay uint8-quantized exactly as shipped (no re-encoding), so the asset stays small.
// Usage: npm run make:model
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'assets', 'models', 'mobilenet_v2');
const LAST_LAYER = 'out_relu';

// The package's exports map only allows this entry; it lazily requires the bundled model files.
const { MobileNetV2Model } = require('nsfwjs/models/mobilenet_v2');
// The exports map also hides package.json and LICENSE: find the package folder from the entry.
const entry = require.resolve('nsfwjs/models/mobilenet_v2');
const packageDir = entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`));
const nsfwjsVersion = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;

const modelJson = (await MobileNetV2Model.modelJson()).default;
if (MobileNetV2Model.weightBundles.length !== 1) throw new Error('expected one weight bundle');
const weights = Buffer.from((await MobileNetV2Model.weightBundles[0]()).default, 'base64');

const topology = structuredClone(modelJson.modelTopology);
const config = topology.model_config.config;
const cut = config.layers.findIndex((layer) => layer.name === LAST_LAYER);
if (cut < 0) throw new Error(`no layer ${LAST_LAYER}`);
const dropped = config.layers.slice(cut + 1).map((layer) => `${layer.class_name} ${layer.name}`);
config.layers = config.layers.slice(0, cut + 1);
config.output_layers = [[LAST_LAYER, 0, 0]];
// Some layers were saved frozen; the asset is a neutral base, the project's phases decide.
for (const layer of config.layers) if (layer.config && 'trainable' in layer.config) layer.config.trainable = true;
delete topology.training_config;

// Copy only the kept layers' weight bytes, in manifest order, from the single shard.
const bytesPer = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };
const kept = new Set(config.layers.map((layer) => layer.name));
const specs = [];
const parts = [];
let offset = 0;
for (const group of modelJson.weightsManifest) {
  if (group.paths.length !== 1) throw new Error('expected one shard');
  for (const spec of group.weights) {
    const size = spec.shape.reduce((a, b) => a * b, 1) * bytesPer[spec.quantization?.dtype ?? spec.dtype];
    if (kept.has(spec.name.split('/')[0])) {
      specs.push(spec);
      parts.push(weights.subarray(offset, offset + size));
    }
    offset += size;
  }
}
if (offset !== weights.length) throw new Error(`shard has ${weights.length} bytes, manifest describes ${offset}`);
const data = Buffer.concat(parts);

mkdirSync(outDir, { recursive: true });
const out = {
  format: 'layers-model',
  generatedBy: `nsfwjs@${nsfwjsVersion} MobileNetV2 (keras ${topology.keras_version}), head removed by scripts/make-builtin-model.mjs`,
  convertedBy: null,
  modelTopology: topology,
  weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
};
writeFileSync(join(outDir, 'model.json'), JSON.stringify(out));
writeFileSync(join(outDir, 'weights.bin'), data);
writeFileSync(join(outDir, 'LICENSE'), readFileSync(join(packageDir, 'LICENSE'), 'utf8'));
console.log(`wrote ${outDir}: ${config.layers.length} layers, ${specs.length} weight tensors, ${data.length} bytes; dropped ${dropped.join(', ')}`);
