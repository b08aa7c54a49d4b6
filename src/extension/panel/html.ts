/**
 * The panel's HTML page, a pure function of the webview's CSP source, a nonce and the resource URIs,
 * so the Chromium test loads exactly what VS Code shows. No inline script or style without the nonce,
 * nothing remote.
 */
export interface PanelHtmlParts {
  /** `webview.cspSource` */
  readonly cspSource: string;
  /** A fresh random value per page load. */
  readonly nonce: string;
  /** The bundled webview script (dist/webview/webview.js) as a webview URI. */
  readonly scriptUri: string;
  /** The panel stylesheet (media/panel/panel.css) as a webview URI. */
  readonly styleUri: string;
  /** The codicon stylesheet (dist/webview/codicon.css) as a webview URI; @vscode-elements finds it by its id. */
  readonly codiconUri: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function buildPanelHtml(parts: PanelHtmlParts): string {
  const nonce = escapeAttribute(parts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(parts.styleUri)}">
<link rel="stylesheet" nonce="${nonce}" id="vscode-codicon-stylesheet" href="${escapeAttribute(parts.codiconUri)}">
<title>Fine-Tune Training</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">Loading the training panel…</p></main>
<script nonce="${nonce}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>
`;
}
