/**
 * Groups a model's layers into blocks from the structure of its graph (pure; no tfjs), so models
 * without `block_N_` names (InceptionV3, converted or hand-made models) still get blocks for
 * `lastBlocks` and the layer tree.
 *
 * A "cut" layer is one every path from the inputs to the outputs passes through (no edge jumps over
 * it in model order). The layers strictly between two cuts plus the closing cut form one branch
 * region: a residual block closed by its Add, an Inception module closed by its Concatenate. Layers
 * between regions form a chain; a chain is grouped per layer with weights (Conv, Dense...) together
 * with what follows it (its BatchNorm, activation, pooling, padding), never by counting layers.
 * Where the names carry a block number (`block_3_expand`, `conv2_block1_add`; the rule of
 * `blockOf`), neighbouring groups of one numbered block are merged, so MobileNetV2 keeps its 17 blocks.
 */
import { blockOf } from './blocks';

/** One layer as the graph sees it: its class and the layers feeding it (all inbound nodes). */
export interface GraphLayer {
  readonly name: string;
  readonly className: string;
  readonly inbound: readonly string[];
  /** The layer's config (units, activation...), for readers that need more than the structure. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** A block: its name and its layers, contiguous in model order. */
export interface GraphBlock {
  readonly name: string;
  readonly layers: readonly string[];
}

/** Layers that own a kernel: each starts a group in a chain; everything else joins the group before it. */
const KERNEL_CLASSES = new Set([
  'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'Conv3DTranspose', 'DepthwiseConv2D', 'DepthwiseConv1D',
  'SeparableConv1D', 'SeparableConv2D', 'Dense', 'EinsumDense', 'Embedding', 'LocallyConnected1D', 'LocallyConnected2D',
  'SimpleRNN', 'LSTM', 'GRU', 'ConvLSTM2D', 'Bidirectional',
]);

interface Unit {
  layers: string[];
  /** The cut that closes a branch region; null for a chain group. */
  join: string | null;
  /** The first kernel layer of a chain group. */
  main: string | null;
  /** How many leading weightless layers (the input...) were prepended; they do not name the unit. */
  prepended?: number;
}

/** Model order when it is topological (tfjs and Keras give it so), else a stable topological sort of it. */
function topologicalOrder(layers: readonly GraphLayer[]): GraphLayer[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const placed = new Set<string>();
  const order: GraphLayer[] = [];
  const visiting = new Set<string>();
  const visit = (layer: GraphLayer): void => {
    if (placed.has(layer.name) || visiting.has(layer.name)) return;
    visiting.add(layer.name);
    for (const name of layer.inbound) {
      const source = byName.get(name);
      if (source) visit(source);
    }
    visiting.delete(layer.name);
    placed.add(layer.name);
    order.push(layer);
  };
  for (const layer of layers) visit(layer);
  return order;
}

/** For each position, whether every input-to-output path passes through that layer. */
function cutFlags(order: readonly GraphLayer[]): boolean[] {
  const index = new Map(order.map((l, i) => [l.name, i]));
  const consumed = new Set<string>();
  // cover[i] > 0 when some edge u -> w has index(u) < i < index(w).
  const cover = new Array<number>(order.length + 1).fill(0);
  const span = (from: number, to: number): void => {
    if (to - from < 2) return;
    cover[from + 1]++;
    cover[to]--;
  };
  order.forEach((layer, i) => {
    const sources = layer.inbound.filter((n) => index.has(n));
    // Inputs hang off one virtual source before the first layer.
    if (sources.length === 0) span(-1, i);
    for (const name of sources) {
      consumed.add(name);
      span(index.get(name) as number, i);
    }
  });
  // Outputs feed one virtual sink after the last layer.
  order.forEach((layer, i) => {
    if (!consumed.has(layer.name)) span(i, order.length);
  });
  const flags: boolean[] = [];
  let running = 0;
  for (let i = 0; i < order.length; i++) {
    running += cover[i];
    flags.push(running === 0);
  }
  return flags;
}

/** The numbered block a unit's names agree on, or null. */
function unitKey(unit: Unit): string | null {
  const keys = new Set(unit.layers.map(blockOf).filter((k): k is string => k !== null));
  return keys.size === 1 ? ([...keys][0] as string) : null;
}

/** Branch regions and chain groups, in model order. */
function buildUnits(order: readonly GraphLayer[], cuts: readonly boolean[]): Unit[] {
  const units: Unit[] = [];
  let region: string[] = [];
  order.forEach((layer, i) => {
    if (!cuts[i]) {
      region.push(layer.name);
      return;
    }
    if (region.length > 0) {
      units.push({ layers: [...region, layer.name], join: layer.name, main: null });
      region = [];
      return;
    }
    const current = units.at(-1);
    const isKernel = KERNEL_CLASSES.has(layer.className);
    const key = blockOf(layer.name);
    const joins = current !== undefined && !isKernel && (key === null || key === unitKey(current));
    if (joins) current.layers.push(layer.name);
    else units.push({ layers: [layer.name], join: null, main: isKernel ? layer.name : null });
  });
  if (region.length > 0) units.push({ layers: region, join: region.at(-1) ?? null, main: null });
  return units;
}

/** Leading groups without weights (the input, a Rescaling) join the first real group. */
function mergeLeading(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  let pending: string[] = [];
  for (const unit of units) {
    if (out.length === 0 && unit.main === null && unit.join === null) {
      pending.push(...unit.layers);
      continue;
    }
    out.push(pending.length > 0 ? { ...unit, layers: [...pending, ...unit.layers], prepended: pending.length } : unit);
    pending = [];
  }
  if (pending.length > 0) out.push({ layers: pending, join: null, main: null });
  return out;
}

/** Neighbouring units of the same numbered block become one. */
function mergeByKey(units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  for (const unit of units) {
    const previous = out.at(-1);
    const key = unitKey(unit);
    if (previous && key !== null && unitKey(previous) === key) {
      out[out.length - 1] = { ...previous, layers: [...previous.layers, ...unit.layers], join: unit.join ?? previous.join, main: previous.main ?? unit.main };
    } else {
      out.push(unit);
    }
  }
  return out;
}

/** Longest `_`- or `/`-bounded prefix every name shares (`stem_conv`, `stem_bn` -> `stem`), or null. */
export function sharedPrefix(names: readonly string[]): string | null {
  if (names.length < 2) return null;
  const first = names[0] as string;
  for (let end = first.length; end >= 3; end--) {
    const cut = first.slice(0, end);
    if (!/[^_/]$/.test(cut)) continue;
    if (!names.every((n) => n === cut || n.startsWith(`${cut}_`) || n.startsWith(`${cut}/`))) continue;
    // `conv2d_1`, `conv2d_12`: Keras' default names share their class name, which says nothing.
    return names.every((n) => /^\d*$/.test(n.slice(end + 1))) ? null : cut;
  }
  return null;
}

function unitName(unit: Unit): string {
  const own = unit.layers.slice(unit.prepended ?? 0);
  return unitKey(unit) ?? sharedPrefix(own) ?? unit.join ?? unit.main ?? (unit.layers[0] as string);
}

/** The blocks of a graph, in model order; every layer is in exactly one. */
export function graphBlocks(layers: readonly GraphLayer[]): GraphBlock[] {
  const order = topologicalOrder(layers);
  const units = mergeByKey(mergeLeading(buildUnits(order, cutFlags(order))));
  const used = new Set<string>();
  return units.map((unit) => {
    let name = unitName(unit);
    // A name already taken by an earlier block falls back to the unit's own layer, then to a suffix.
    if (used.has(name)) name = unit.join ?? unit.main ?? name;
    for (let n = 2; used.has(name); n++) name = `${unitName(unit)}_${n}`;
    used.add(name);
    return { name, layers: unit.layers };
  });
}

/** Block name of every layer (what `LayerInfo.block` holds). */
export function blockByLayer(layers: readonly GraphLayer[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of graphBlocks(layers)) for (const name of block.layers) out.set(name, block.name);
  return out;
}
