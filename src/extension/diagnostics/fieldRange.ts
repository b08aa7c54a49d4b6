/**
 * Where a field named by the validation (`phases[1].learningRate`) sits in finetune.json's text, so a
 * diagnostic underlines the bad value and not the whole file. Pure, no vscode.
 */
import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';

/** A span of the file's text. */
export interface TextSpan {
  readonly offset: number;
  readonly length: number;
}

/** `phases[1].learningRate` -> ['phases', 1, 'learningRate']; `(root)` -> []. */
export function parseFieldPath(field: string): JSONPath {
  if (field === '(root)' || field === '') return [];
  const path: JSONPath = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return path;
}

/**
 * The span to underline for `field`: its value when it is a number, string, true/false or null; for an
 * object or array its property name (or its opening bracket), not every line of it. A field that is
 * missing underlines the nearest enclosing field that exists, so "is missing; add it" sits where it goes.
 */
export function spanOfField(root: Node, field: string): TextSpan {
  const path = parseFieldPath(field);
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (node) return spanOfNode(node);
  }
  return { offset: root.offset, length: 1 };
}

function spanOfNode(node: Node): TextSpan {
  if (node.type !== 'object' && node.type !== 'array') return { offset: node.offset, length: node.length };
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  return key ? { offset: key.offset, length: key.length } : { offset: node.offset, length: 1 };
}
