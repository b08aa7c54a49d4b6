/**
 * Conv2D/DepthwiseConv2D followed by a BatchNormalization that runs in inference mode, as one
 * layer for the trainable part of a model. In inference mode BN is y = z*s + o per channel with
 * s = gamma/sqrt(var+eps) and o = beta - mean*s, so conv(x, W)*s + o = conv(x, W*s) + o: one fused
 * convolution with a bias instead of a convolution plus two passes over its output (and, when
 * training, plus BN's own backward passes). W*s and o are computed from the original layers'
 * variables with tf ops every call, so autodiff gives the gradients of W, gamma and beta of the
 * unfolded pair (the same function of the same weights); the moving statistics stay constant as
 * inference mode keeps them. The layer owns no weights: it lists the two layers' variables, so a
 * model built with it trains the original model's weights.
 */
import * as tf from '@tensorflow/tfjs';
import { asPair, type ConvConfig } from './convConfig';

interface BatchNormConfig {
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  gammaRegularizer?: unknown;
  betaRegularizer?: unknown;
}

/** Why `conv` followed by `bn` cannot be one layer, or null when it can (inference-mode BN checked by the caller). */
export function convBatchNormObstacle(conv: tf.layers.Layer, bn: tf.layers.Layer, convOutputRank: number): string | null {
  const cls = conv.getClassName();
  if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') return `${cls} is not a 2-D convolution`;
  if (bn.getClassName() !== 'BatchNormalization') return 'not followed by BatchNormalization';
  const c = conv.getConfig() as unknown as ConvConfig;
  const b = bn.getConfig() as unknown as BatchNormConfig;
  if ((c.dataFormat ?? 'channelsLast') !== 'channelsLast') return 'channels-first data';
  if ((c.activation ?? 'linear') !== 'linear') return 'the convolution has its own activation';
  if (c.padding !== 'same' && c.padding !== 'valid') return `padding ${c.padding}`;
  if (c.kernelRegularizer != null || c.biasRegularizer != null || c.activityRegularizer != null || b.gammaRegularizer != null || b.betaRegularizer != null) {
    return 'a regularizer (its loss term needs the layer itself)';
  }
  if (b.axis !== -1 && b.axis !== convOutputRank - 1) return 'BatchNormalization over another axis';
  return null;
}

/** LayerVariables of the pair, read by name (tfjs-layers keeps them as fields). */
interface PairVariables {
  readonly kernel: tf.LayerVariable;
  readonly bias: tf.LayerVariable | null;
  readonly gamma: tf.LayerVariable | null;
  readonly beta: tf.LayerVariable | null;
  readonly mean: tf.LayerVariable;
  readonly variance: tf.LayerVariable;
}

function pairVariables(conv: tf.layers.Layer, bn: tf.layers.Layer): PairVariables {
  const c = conv as unknown as { kernel?: tf.LayerVariable; depthwiseKernel?: tf.LayerVariable; bias?: tf.LayerVariable | null };
  const b = bn as unknown as { gamma?: tf.LayerVariable | null; beta?: tf.LayerVariable | null; movingMean?: tf.LayerVariable; movingVariance?: tf.LayerVariable };
  const kernel = c.kernel ?? c.depthwiseKernel;
  if (kernel == null || b.movingMean == null || b.movingVariance == null) throw new Error(`${conv.name} + ${bn.name}: weights not found`);
  return { kernel, bias: c.bias ?? null, gamma: b.gamma ?? null, beta: b.beta ?? null, mean: b.movingMean, variance: b.movingVariance };
}

let counter = 0;

export class ConvBatchNormLayer extends tf.layers.Layer {
  static readonly className = 'FinetuneGuideConvBatchNorm';
  private readonly depthwise: boolean;
  private readonly strides: [number, number];
  private readonly dilations: [number, number];
  private readonly pad: 'same' | 'valid';
  private readonly epsilon: number;
  private readonly vars: PairVariables;

  /**
   * `inputIsData`: the layer reads the model's input (images), whose gradient nobody asks for;
   * tfjs' fused convolution computes it anyway (a full transposed convolution over the largest
   * activation), so this layer's gradient leaves it out (zeros).
   */
  constructor(
    private readonly conv: tf.layers.Layer,
    private readonly bn: tf.layers.Layer,
    private readonly inputIsData = false,
  ) {
    super({ name: `${conv.name}_${bn.name}_folded_${++counter}` });
    const c = conv.getConfig() as unknown as ConvConfig;
    this.depthwise = conv.getClassName() === 'DepthwiseConv2D';
    this.strides = asPair(c.strides);
    this.dilations = asPair(c.dilationRate);
    this.pad = c.padding as 'same' | 'valid';
    this.epsilon = (bn.getConfig() as unknown as BatchNormConfig).epsilon ?? 1e-3;
    this.vars = pairVariables(conv, bn);
    this.built = true;
  }

  // The model collects weights from its layers: report the pair's, honouring each layer's flag.
  override get trainableWeights(): tf.LayerVariable[] {
    return [...this.conv.trainableWeights, ...this.bn.trainableWeights];
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    return [...this.conv.nonTrainableWeights, ...this.bn.nonTrainableWeights];
  }
  override get weights(): tf.LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return this.bn.computeOutputShape(this.conv.computeOutputShape(inputShape));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const { kernel, bias, gamma, beta, mean, variance } = this.vars;
      let s = tf.rsqrt(tf.add(variance.read(), tf.scalar(this.epsilon)));
      if (gamma) s = tf.mul(s, gamma.read());
      const w = kernel.read() as tf.Tensor4D;
      const filter = (this.depthwise ? tf.mul(w, s.reshape([w.shape[2], w.shape[3]])) : tf.mul(w, s)) as tf.Tensor4D;
      let offset = tf.mul(bias ? tf.sub(bias.read(), mean.read()) : tf.neg(mean.read()), s);
      if (beta) offset = tf.add(offset, beta.read());
      const args = { x, filter, strides: this.strides, pad: this.pad, dilations: this.dilations, bias: offset };
      if (this.inputIsData && !this.depthwise && this.dilations[0] === 1 && this.dilations[1] === 1) return this.convWithoutInputGradient(x, filter, offset);
      return this.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
    });
  }

  /** conv(x, filter) + bias whose gradient for x is zeros (see the constructor); filter and bias get theirs. */
  private convWithoutInputGradient(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor): tf.Tensor {
    const { strides, pad, dilations } = this;
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xi, fi, bi] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
      const save = inputs[3] as tf.GradSaveFunc;
      save([xi, fi]);
      const value = tf.fused.conv2d({ x: xi, filter: fi, strides, pad, dilations, bias: bi });
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const [xs, fs] = saved;
        const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: fs.shape };
        const dFilter = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xs, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        return [tf.zerosLike(xs), dFilter, tf.sum(dy, [0, 1, 2])];
      };
      return { value, gradFunc };
    });
    return op(x, filter, bias);
  }

  override getConfig(): tf.serialization.ConfigDict {
    // Never saved: it exists only inside a phase's training model; the full model is what is saved.
    return { ...super.getConfig(), conv: this.conv.name, bn: this.bn.name };
  }
}
