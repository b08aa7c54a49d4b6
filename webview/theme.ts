/** Chart colours from VS Code's theme variables; re-read when the body's theme class changes. */

export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly fontFamily: string;
  readonly train: string;
  readonly val: string;
  readonly smooth: string;
  readonly lr: string;
  readonly boundary: string;
  /** Colours for runs picked for comparison, in order. */
  readonly compared: readonly string[];
}

function variable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const foreground = variable(style, '--vscode-foreground', '#cccccc');
  // Dark high contrast's charts.orange (#ab5a00) is dim on black: the validation curve takes yellow there.
  const classes = document.body.classList;
  const darkHighContrast = classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light');
  const orange = variable(style, '--vscode-charts-orange', '#d18616');
  const yellow = variable(style, '--vscode-charts-yellow', '#cca700');
  return {
    foreground,
    muted: variable(style, '--vscode-descriptionForeground', foreground),
    grid: variable(style, '--vscode-editorWidget-border', variable(style, '--vscode-panel-border', 'rgba(128, 128, 128, 0.35)')),
    fontFamily: variable(style, '--vscode-font-family', 'system-ui, sans-serif'),
    train: variable(style, '--vscode-charts-blue', '#3794ff'),
    val: darkHighContrast ? yellow : orange,
    smooth: variable(style, '--vscode-charts-green', '#89d185'),
    lr: variable(style, '--vscode-charts-purple', '#b180d7'),
    boundary: variable(style, '--vscode-charts-lines', variable(style, '--vscode-descriptionForeground', '#808080')),
    compared: [
      variable(style, '--vscode-charts-red', '#f14c4c'),
      darkHighContrast ? orange : yellow,
      variable(style, '--vscode-charts-purple', '#b180d7'),
      variable(style, '--vscode-charts-green', '#89d185'),
    ],
  };
}

/** Calls `onChange` when VS Code switches vscode-light / vscode-dark / vscode-high-contrast on the body. */
export function watchThemeClass(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
