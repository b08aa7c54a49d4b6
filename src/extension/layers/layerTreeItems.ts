/** Builds the tree's rows (vscode TreeItems) from layers and the selected phase's plan. */
import * as vscode from 'vscode';
import type { LayerInfo } from '../../protocol/host';
import { formatParams } from '../../shared/format';
import { blockState, describeGroup, describeLayer, sumParams, type BlockRow, type GroupRow, type LayerRow } from './layerGroups';
import { blockTooltipText, describeBlock, layerTooltipText, trainableCount, type RowContext } from './rowText';

export type { RowContext } from './rowText';

/** A node of the tree: a nested model's group row, a block row or a layer row. */
export type LayerNode = LayerRow;

const { Checked, Unchecked } = vscode.TreeItemCheckboxState;

/** A nested model: open at first (its blocks stay closed), with a checkbox for all its layers. */
export function groupItem(row: GroupRow, ctx: RowContext): vscode.TreeItem {
  const item = new vscode.TreeItem(row.container.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `group:${row.key}`;
  const state = blockState(row.layers, ctx.trainable);
  item.description = describeGroup(row, state);
  const tooltip = new vscode.MarkdownString(
    [
      `**${row.container.name}** (${row.container.className}${row.architecture ? `, ${row.architecture} by its layer names` : ''}): a model inside the model`,
      '',
      `Path: ${row.path.join(' › ')}`,
      `Layers: ${row.layers.length}`,
      `Parameters: ${formatParams(sumParams(row.layers))}`,
      ...(ctx.readOnly ? [] : [`Trainable in this phase: ${state === 'all' ? 'every' : state === 'some' ? 'some' : state === 'none' ? 'none' : 'no weights'} of its weighted layers (the checkbox trains or freezes them all)`]),
    ].join('  \n'),
  );
  tooltip.supportHtml = false;
  item.tooltip = tooltip;
  // No icon: the row sits indented beside a twistie and a checkbox, and its description needs the room.
  item.contextValue = ctx.readOnly ? 'group-readonly' : 'group';
  if (!ctx.readOnly && state !== 'noWeights') {
    item.checkboxState = {
      state: state === 'all' ? Checked : Unchecked,
      tooltip: state === 'all' ? `Freeze every layer of ${row.container.name} in this phase` : `Train every layer of ${row.container.name} in this phase`,
    };
  }
  return item;
}

export function blockItem(row: BlockRow, ctx: RowContext): vscode.TreeItem {
  const item = new vscode.TreeItem(row.block, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `block:${row.key}`;
  const state = blockState(row.layers, ctx.trainable);
  item.description = describeBlock(row, ctx);
  item.tooltip = markdown(blockTooltipText(row, ctx));
  // A block holding the new head shows the head's sparkle; others 'layers' (symbol-module and
  // symbol-namespace draw the same "{}" glyph, which reads as JSON). The checkbox has no mixed state in
  // VS Code's API: a partly trainable block says "3/9 trainable" in its description and checkbox tooltip.
  item.iconPath = new vscode.ThemeIcon(row.layers.some((l) => l.isNew) ? 'sparkle' : 'layers');
  item.contextValue = ctx.readOnly ? 'block-readonly' : 'block';
  if (!ctx.readOnly && state !== 'noWeights') {
    const { on, of } = trainableCount(row.layers, ctx.trainable);
    item.checkboxState = {
      state: state === 'all' ? Checked : Unchecked,
      tooltip:
        state === 'all'
          ? `Freeze all layers of ${row.block} in this phase`
          : state === 'some'
            ? `Partly trainable (${on} of ${of} layers): check to train all of ${row.block} in this phase`
            : `Train all layers of ${row.block} in this phase`,
    };
  }
  return item;
}

export function layerItem(layer: LayerInfo, ctx: RowContext): vscode.TreeItem {
  const item = new vscode.TreeItem(layer.name, vscode.TreeItemCollapsibleState.None);
  item.id = `layer:${layer.name}`;
  const trainable = ctx.trainable.has(layer.name);
  item.description = describeLayer(layer, trainable, ctx.batchNorm);
  item.tooltip = markdown(layerTooltipText(layer, ctx));
  item.iconPath = new vscode.ThemeIcon(layer.isNew ? 'sparkle' : layer.params === 0 ? 'symbol-operator' : trainable ? 'unlock' : 'lock');
  item.contextValue = ctx.readOnly ? 'layer-readonly' : 'layer';
  if (!ctx.readOnly && layer.params > 0) {
    item.checkboxState = {
      state: trainable ? Checked : Unchecked,
      tooltip: trainable ? `Freeze ${layer.name} in this phase` : `Train ${layer.name} in this phase`,
    };
  }
  return item;
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportHtml = false;
  return md;
}
