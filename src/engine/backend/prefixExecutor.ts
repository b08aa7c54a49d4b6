/**
 * Runs the frozen prefix of a model (its first nodes) in inference mode, with BatchNorm folded into
 * the convolution before it: conv -> BN [-> ReLU/ReLU6] becomes one fused conv with a bias and the
 * activation (on wasm, one XNNPACK call). In inference mode BN is the affine map
 * y = (x - mean) * gamma / sqrt(var + eps) + beta per channel, so folding it is exact up to rounding.
 */
import * as tf from '@tensorflow/tfjs';
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
  /** The prefix's output for a batch of model inputs; the caller disposes it. */
  run(x: tf.Tensor): tf.Tensor;
  /** Frees the folded weights. */
  dispose(): void;
}

interface ConvConfig {
  strides: number | [number, number];
  padding: string;
  dilationRate?: number | [number, number];
  dataFormat?: string;
  activation?: string;
  useBias?: boolean;
}

const asPair = (v: number | [number, number] | undefined): [number, number] => (v == null ? [1, 1] : typeof v === 'number' ? [v, v] : v);

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

  const absorbed = new Set<GraphNode>();
  const steps: Step[] = [];
  for (const node of nodes) {
    if (absorbed.has(node) || node.layer.getClassName() === 'InputLayer') continue;
    const fused = options.fold ? tryFold(node, soleConsumer) : null;
    if (fused) {
      for (const n of fused.absorbed) absorbed.add(n);
      steps.push(fused.step);
    } else {
      steps.push({ kind: 'layer', node });
    }
  }
  const inputId = graph.inputs[0].id;
  const folded = steps.filter((s) => s.kind === 'fused').length;

  return {
    output,
    folded,
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

/** conv -> BN [-> ReLU] with nothing else reading the intermediate tensors, as one fused step. */
function tryFold(conv: GraphNode, soleConsumer: (n: GraphNode) => GraphNode | null): { step: FusedConvStep; absorbed: GraphNode[] } | null {
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
      input: conv.inputs[0].id,
      output: outputNode.outputs[0].id,
      depthwise: cls === 'DepthwiseConv2D',
      filter,
      bias,
      strides: asPair(config.strides),
      dilations: asPair(config.dilationRate),
      pad: config.padding,
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
