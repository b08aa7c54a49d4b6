/** The parts of a Conv2D/DepthwiseConv2D layer's config that folding and fusing read. */
export interface ConvConfig {
  strides: number | [number, number];
  padding: string;
  dilationRate?: number | [number, number];
  dataFormat?: string;
  activation?: string;
  useBias?: boolean;
  kernelRegularizer?: unknown;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
}

/** A Keras stride or dilation (one number or a pair; absent = 1) as [rows, cols]. */
export const asPair = (v: number | [number, number] | undefined): [number, number] => (v == null ? [1, 1] : typeof v === 'number' ? [v, v] : v);
