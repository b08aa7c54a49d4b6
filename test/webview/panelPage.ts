/**
 * Page object for the training panel in headless Chromium: bundles webview/main.ts with esbuild,
 * serves the page the controller builds (same HTML builder, same CSP) from a local http server, and
 * stubs `acquireVsCodeApi` so posted messages are recorded. Page code is passed as strings because
 * the test tsconfig has no DOM types.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../fixtures/chromium';
import { Cleanups, withTimeout } from '../fixtures/cleanups';
import { buildPanelHtml } from '../../src/extension/panel/html';
import type { ExtensionMessage, WebviewMessage } from '../../src/protocol/webview';

const repo = path.resolve(__dirname, '..', '..');
/**
 * Records what the webview posts and any CSP violation, before the page's own script runs. The
 * webview state survives a reload, as VS Code keeps it when a hidden webview is rebuilt.
 */
const STUB = `
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null'), setState: (s) => sessionStorage.setItem('vscodeState', JSON.stringify(s)) });
`;

/** Variables VS Code sets on <html> for its default Dark Modern and Light Modern themes (the ones the panel reads). */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editor-background': '#1f1f1f',
      '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#313131', '--vscode-panel-border': '#2b2b2b',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7', '--vscode-charts-red': '#f14c4c', '--vscode-charts-yellow': '#cca700', '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
      '--vscode-focusBorder': '#0078d4', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-errorForeground': '#f85149', '--vscode-textLink-foreground': '#4daafc', '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-progressBar-background': '#0078d4', '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#ffffff12',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-checkbox-background': '#313131', '--vscode-checkbox-border': '#3c3c3c', '--vscode-checkbox-foreground': '#cccccc',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171', '--vscode-editor-background': '#ffffff',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-border': '#c8c8c8', '--vscode-panel-border': '#e5e5e5',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90', '--vscode-charts-red': '#e51400', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-lines': 'rgba(59, 59, 59, 0.5)',
      '--vscode-focusBorder': '#005fb8', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-errorForeground': '#f85149', '--vscode-textLink-foreground': '#005fb8', '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-progressBar-background': '#005fb8', '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#0000001a',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-checkbox-background': '#f8f8f8', '--vscode-checkbox-border': '#cecece', '--vscode-checkbox-foreground': '#3b3b3b',
    },
  },
  highContrast: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffff', '--vscode-editor-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df', '--vscode-panel-border': '#6fc3df',
      '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7', '--vscode-charts-red': '#f14c4c', '--vscode-charts-yellow': '#ffd700', '--vscode-charts-lines': 'rgba(255, 255, 255, 0.6)',
      '--vscode-focusBorder': '#f38518', '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff',
      '--vscode-errorForeground': '#f48771', '--vscode-textLink-foreground': '#21a6ff', '--vscode-list-hoverBackground': '#000000',
      '--vscode-progressBar-background': '#6fc3df', '--vscode-editorWarning-foreground': '#ffd700',
      '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryForeground': '#ffffff', '--vscode-checkbox-background': '#000000', '--vscode-checkbox-border': '#6fc3df',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

export class PanelPage {
  private constructor(
    private readonly cleanups: Cleanups,
    readonly page: Page,
  ) {}

  /**
   * Everything `open` started is closed again when a later step fails, so a failed setup cannot keep the process alive.
   * `plugins` change the bundle (chartRegistry.test.ts registers an extra chart).
   */
  static async open(theme: ThemeName = 'dark', plugins: esbuild.Plugin[] = []): Promise<PanelPage> {
    const executablePath = await chromiumExecutable();
    const cleanups = new Cleanups();
    try {
      const page = await PanelPage.start(executablePath, cleanups, plugins);
      const panel = new PanelPage(cleanups, page);
      await panel.setTheme(theme);
      await page.waitForFunction('window.__posted.some((m) => m.type === "ready")');
      return panel;
    } catch (error) {
      await cleanups.run();
      throw error;
    }
  }

  /** Bundles the webview, serves it and opens it in Chromium; each step registers its undo in `cleanups`. */
  private static async start(executablePath: string, cleanups: Cleanups, plugins: esbuild.Plugin[]): Promise<Page> {
    const buildDir = mkdtempSync(path.join(tmpdir(), 'panel-webview-'));
    cleanups.add(() => rmSync(buildDir, { recursive: true, force: true }));
    // The webview bundle's own options (scripts/bundles.mjs), built alone so other bundles cannot break this test.
    const { bundles, commonOptions } = await import('../../scripts/bundles.mjs');
    await esbuild.build({ ...commonOptions(false), ...bundles.webview, absWorkingDir: repo, outdir: buildDir, sourcemap: false, logLevel: 'error', plugins });
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    cleanups.add(() => closeServer(server));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no server port');
    const origin = `http://127.0.0.1:${address.port}`;
    const html = buildPanelHtml({ cspSource: origin, nonce: 'dGVzdC1ub25jZS0xMjM0', scriptUri: `${origin}/webview.js`, styleUri: `${origin}/panel.css`, codiconUri: `${origin}/codicon.css` });
    const files: Record<string, { file?: string; body?: string; type: string }> = {
      '/index.html': { body: html, type: 'text/html' },
      '/webview.js': { file: path.join(buildDir, 'webview.js'), type: 'text/javascript' },
      '/panel.css': { file: path.join(repo, 'media', 'panel', 'panel.css'), type: 'text/css' },
      '/codicon.css': { file: path.join(buildDir, 'codicon.css'), type: 'text/css' },
      '/codicon.ttf': { file: path.join(buildDir, 'codicon.ttf'), type: 'font/ttf' },
    };
    server.on('request', (request, response) => {
      // The codicon stylesheet asks for its font with a cache-busting query.
      const entry = files[(request.url ?? '').split('?')[0]];
      if (!entry) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': entry.type }).end(entry.body ?? readFileSync(entry.file as string));
    });
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
    cleanups.add(() => withTimeout(browser.close(), 10_000));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(STUB);
    await page.goto(`${origin}/index.html`);
    return page;
  }

  /** Rebuilds the page, as VS Code does when a hidden panel is shown again; resolves once it said `ready`. */
  async reload(theme: ThemeName): Promise<void> {
    await this.page.reload();
    await this.setTheme(theme);
    await this.page.waitForFunction('window.__posted.some((m) => m.type === "ready")');
  }

  /** Sets the theme the way VS Code does: a body class and --vscode-* variables on <html>. */
  async setTheme(theme: ThemeName): Promise<void> {
    const { bodyClass, vars } = THEMES[theme];
    await this.page.evaluate(`(() => {
      document.documentElement.removeAttribute('style');
      for (const [name, value] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty(name, value);
      document.body.className = ${JSON.stringify(bodyClass)};
    })()`);
    // The MutationObserver re-reads the colours in a microtask; wait until they match.
    await this.page.waitForFunction(`window.__finetunePanel.chartColors().foreground === ${JSON.stringify(vars['--vscode-foreground'])}`);
  }

  /** Delivers a message as VS Code does (a window `message` event). Returns after the page handled it. */
  async send(message: ExtensionMessage | Record<string, unknown>): Promise<void> {
    await this.page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    await this.page.evaluate('new Promise((resolve) => setTimeout(resolve, 0))');
  }

  async posted(): Promise<WebviewMessage[]> {
    return this.eval<WebviewMessage[]>('window.__posted');
  }

  async eval<T>(expression: string): Promise<T> {
    return (await this.page.evaluate(expression)) as T;
  }

  async close(): Promise<void> {
    await this.cleanups.run();
  }
}

/** Stops listening and drops kept-alive connections, which would otherwise hold `close` open. */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
