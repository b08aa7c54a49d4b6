/**
 * The panel's controls as @vscode-elements/elements components (the maintained successor of the
 * webview UI toolkit), so buttons and checkboxes look and behave like VS Code's own. Only the
 * components used are imported, to keep the bundle small. Lit styles them through
 * adoptedStyleSheets, which the panel's CSP (style-src with a nonce) does not block.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import { el } from './dom';

/** A VS Code button; `secondary` for actions next to content rather than the main one. */
export function button(text: string, attrs: Record<string, string>, onClick: () => void, secondary = true): VscodeButton {
  const control = el('vscode-button', { text, attrs });
  control.secondary = secondary;
  control.addEventListener('click', onClick);
  return control;
}

/** A VS Code checkbox labelled by `content` (its slot); `onChange` gets the new checked state. */
export function checkbox(content: readonly Node[], attrs: Record<string, string>, checked: boolean, disabled: boolean, onChange: (checked: boolean) => void): VscodeCheckbox {
  const control = el('vscode-checkbox', { attrs }, ...content);
  control.checked = checked;
  control.disabled = disabled;
  control.addEventListener('change', () => onChange(control.checked));
  return control;
}
