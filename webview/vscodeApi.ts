/** The host API VS Code injects into webviews; typed to our messages. Call acquireVsCodeApi once only. */
import type { WebviewMessage } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
