/**
 * Runs the frozen prefix of a model (its first nodes) in inference mode, with BatchNorm folded into
 * the convolution before it: conv -> BN [-> ReLU/ReLU6] becomes one fused conv with a bias and the
 * activation (on wasm, one XNNPACK call). In inference mode BN is the affine map
 * y = (x - mean) * gamma / sqrt(var + eps) + beta per channel, so folding it is exact up to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { asPair, type ConvConfig } from './convConfig';
import type { GraphNode, ModelGraph } from './graph';

type Activation = 'linear' | 'relu' | 'relu6';

interface FusedConvStep {
  readonly kind: 'fused';
  readonly input: number;
  readonly output: number;
  readonly depthwise: boolean;
  readonly filter: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: 'same' | 'valid';
  readonly activation: Activation;
}
interface LayerStep {
  readonly kind: 'layer';
  readonly node: GraphNode;
}
type Step = FusedConvStep | LayerStep;

export interface PrefixExecutor {
  /** Symbolic tensor the prefix ends at (what `run` returns). */
  readonly output: tf.SymbolicTensor;
  /** How many conv+BatchNorm pairs were folded. */
  readonly folded: number;
  /** How many ZeroPadding2D layers became the next conv's `same` padding. */
  readonly paddingsMerged: number;
  /** The prefix's output for a batch of model inputs; the caller disposes it. */
  run(x: tf.Tensor): tf.Tensor;
  /** Frees the folded weights. */
  dispose(): void;
}


/** Builds the executor for nodes [0, lastIndex] of the graph, ending at `output`. */
export function buildPrefixExecutor(graph: ModelGraph, lastIndex: number, output: tf.SymbolicTensor, options: { fold: boolean }): PrefixExecutor {
  if (graph.inputs.length !== 1) throw new Error('the frozen-prefix executor supports models with one input');
  const nodes = graph.nodes.slice(0, lastIndex + 1);
  const uses = new Map<number, number>();
  const use = (id: number): void => void uses.set(id, (uses.get(id) ?? 0) + 1);
  for (const node of nodes) for (const t of node.inputs) use(t.id);
  use(output.id);
  const consumers = new Map<number, GraphNode[]>();
  for (const node of nodes) for (const t of node.inputs) consumers.set(t.id, [...(consumers.get(t.id) ?? []), node]);
  /** The only node reading the single output of `node`, if the output is not needed elsewhere. */
  const soleConsumer = (node: GraphNode): GraphNode | null => {
    if (node.outputs.length !== 1) return null;
    const id = node.outputs[0].id;
    const readers = consumers.get(id) ?? [];
    return readers.length === 1 && uses.get(id) === 1 ? readers[0] : null;
  };

  const producers = new Map<number, GraphNode>();
  for (const node of nodes) for (const t of node.outputs) producers.set(t.id, node);
  const producer = (t: tf.SymbolicTensor): GraphNode | null => producers.get(t.id) ?? null;

  // Decide the folds first: a zero padding before a conv comes earlier in the order than the conv.
  const absorbed = new Set<GraphNode>();
  const fusedAt = new Map<GraphNode, FusedConvStep>();
  if (options.fold) {
    for (const node of nodes) {
      const fused = tryFold(node, soleConsumer, producer);
      if (!fused) continue;
      for (const n of fused.absorbed) absorbed.add(n);
      fusedAt.set(node, fused.step);
    }
  }
  const steps: Step[] = [];
  for (const node of nodes) {
    if (absorbed.has(node) || node.layer.getClassName() === 'InputLayer') continue;
    steps.push(fusedAt.get(node) ?? { kind: 'layer', node });
  }
  const inputId = graph.inputs[0].id;
  const folded = steps.filter((s) => s.kind === 'fused').length;
  const paddingsMerged = [...absorbed].filter((n) => n.layer.getClassName() === 'ZeroPadding2D').length;

  return {
    output,
    folded,
    paddingsMerged,
    run(x: tf.Tensor): tf.Tensor {
      const values = new Map<number, tf.Tensor>([[inputId, x]]);
      const remaining = new Map(uses);
      const release = (id: number): void => {
        const left = (remaining.get(id) ?? 0) - 1;
        remaining.set(id, left);
        const t = values.get(id);
        if (left <= 0 && t && id !== inputId) {
          t.dispose();
          values.delete(id);
        }
      };
      const get = (id: number): tf.Tensor => {
        const t = values.get(id);
        if (!t) throw new Error('frozen prefix: a tensor was needed before it was computed');
        return t;
      };
      try {
        for (const step of steps) {
          if (step.kind === 'fused') {
            const y = tf.tidy(() => fusedConv(step, get(step.input) as tf.Tensor4D));
            values.set(step.output, y);
            release(step.input);
          } else {
            const { node } = step;
            const inputs = node.inputs.map((t) => get(t.id));
            const out = tf.tidy(() => node.layer.apply(inputs.length === 1 ? inputs[0] : inputs, { ...node.callArgs, training: false }) as tf.Tensor | tf.Tensor[]);
            const outs = Array.isArray(out) ? out : [out];
            node.outputs.forEach((t, i) => values.set(t.id, outs[i]));
            for (const t of node.inputs) release(t.id);
          }
        }
        const result = get(output.id);
        return id_(result, x);
      } catch (error) {
        for (const [id, t] of values) if (id !== inputId && id !== output.id) t.dispose();
        throw error;
      }
    },
    dispose(): void {
      for (const step of steps) if (step.kind === 'fused') tf.dispose([step.filter, step.bias]);
    },
  };
}

/** The prefix may be empty (output = the input): hand back a copy so the caller can always dispose. */
function id_(result: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return result === x ? x.clone() : result;
}

function fusedConv(step: FusedConvStep, x: tf.Tensor4D): tf.Tensor4D {
  const args = { x, filter: step.filter, strides: step.strides, pad: step.pad, dilations: step.dilations, bias: step.bias, activation: step.activation };
  return step.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d({ ...args, dataFormat: 'NHWC' });
}

/**
 * A ZeroPadding2D feeding only a `valid` conv can be dropped when the conv's own `same` padding pads
 * exactly as much on each side (Keras' MobileNetV2 pads [[0,1],[0,1]] before its stride-2 convs,
 * which is `same` for even sizes): saves a copy of the activation.
 */
function samePaddingFor(conv: GraphNode, config: ConvConfig, soleConsumer: (n: GraphNode) => GraphNode | null, producer: (t: tf.SymbolicTensor) => GraphNode | null): GraphNode | null {
  if (config.padding !== 'valid') return null;
  const pad = producer(conv.inputs[0]);
  if (!pad || pad.layer.getClassName() !== 'ZeroPadding2D' || soleConsumer(pad) !== conv) return null;
  const padConfig = pad.layer.getConfig() as { padding?: [[number, number], [number, number]]; dataFormat?: string };
  if ((padConfig.dataFormat ?? 'channelsLast') !== 'channelsLast' || !padConfig.padding) return null;
  const [[top, bottom], [left, right]] = padConfig.padding;
  const [, h, w, c] = pad.inputs[0].shape;
  const [kh, kw] = conv.layer.getWeights()[0].shape as number[];
  if (h == null || w == null || c == null) return null;
  const info = tf.backend_util.computeConv2DInfo([1, h, w, c], [kh, kw, c, 1], asPair(config.strides), asPair(config.dilationRate), 'same', undefined, true, 'channelsLast');
  const p = info.padInfo;
  return p.top === top && p.bottom === bottom && p.left === left && p.right === right ? pad : null;
}

/** [zero padding ->] conv -> BN [-> ReLU] with nothing else reading the intermediate tensors, as one fused step. */
function tryFold(
  conv: GraphNode,
  soleConsumer: (n: GraphNode) => GraphNode | null,
  producer: (t: tf.SymbolicTensor) => GraphNode | null,
): { step: FusedConvStep; absorbed: GraphNode[] } | null {
  const cls = conv.layer.getClassName();
  if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') return null;
  const config = conv.layer.getConfig() as unknown as ConvConfig;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast' || (config.activation ?? 'linear') !== 'linear') return null;
  if (config.padding !== 'same' && config.padding !== 'valid') return null;
  const bn = soleConsumer(conv);
  if (!bn || bn.layer.getClassName() !== 'BatchNormalization') return null;
  const bnConfig = bn.layer.getConfig() as { axis?: number; epsilon?: number; center?: boolean; scale?: boolean };
  const rank = conv.outputs[0].rank;
  if (bnConfig.axis !== -1 && bnConfig.axis !== rank - 1) return null;
  const act = soleConsumer(bn);
  const activation = act ? reluKind(act) : null;
  const absorbed = activation ? [bn, act as GraphNode] : [bn];
  const outputNode = activation ? (act as GraphNode) : bn;
  const pad = samePaddingFor(conv, config, soleConsumer, producer);
  if (pad) absorbed.push(pad);

  const [filter, bias] = tf.tidy(() => {
    const convWeights = conv.layer.getWeights();
    const bnWeights = bn.layer.getWeights();
    let i = 0;
    const gamma = bnConfig.scale === false ? null : bnWeights[i++];
    const beta = bnConfig.center === false ? null : bnWeights[i++];
    const mean = bnWeights[i++];
    const variance = bnWeights[i++];
    let s = tf.rsqrt(tf.add(variance, bnConfig.epsilon ?? 1e-3));
    if (gamma) s = tf.mul(s, gamma);
    const kernel = convWeights[0] as tf.Tensor4D;
    const scaled = cls === 'Conv2D' ? tf.mul(kernel, s) : tf.mul(kernel, s.reshape([kernel.shape[2], kernel.shape[3]]));
    const convBias = config.useBias && convWeights[1] ? convWeights[1] : tf.zerosLike(mean);
    let b = tf.mul(tf.sub(convBias, mean), s);
    if (beta) b = tf.add(b, beta);
    return [scaled as tf.Tensor4D, b as tf.Tensor1D];
  });
  return {
    absorbed,
    step: {
      kind: 'fused',
      input: pad ? pad.inputs[0].id : conv.inputs[0].id,
      output: outputNode.outputs[0].id,
      depthwise: cls === 'DepthwiseConv2D',
      filter,
      bias,
      strides: asPair(config.strides),
      dilations: asPair(config.dilationRate),
      pad: pad ? 'same' : config.padding,
      activation: activation ?? 'linear',
    },
  };
}

function reluKind(node: GraphNode): Activation | null {
  const cls = node.layer.getClassName();
  const config = node.layer.getConfig() as { maxValue?: number | null; activation?: string };
  if (cls === 'ReLU') return config.maxValue == null ? 'relu' : config.maxValue === 6 ? 'relu6' : null;
  if (cls === 'Activation') return config.activation === 'relu' || config.activation === 'relu6' ? config.activation : null;
  return null;
}
