/** The host API VS Code injects into webviews; typed to our messages. Call acquireVsCodeApi once only. */
import type { WebviewMessage } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  /** Survives the webview being hidden and rebuilt (retainContextWhenHidden is off). */
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** UI choices that live only in the webview (the extension keeps focus and compared runs). */
export interface LocalUiState {
  readonly evaluationPhase: string | null;
}

export function loadLocalState(): LocalUiState {
  const saved = vscode().getState();
  const phase = typeof saved === 'object' && saved !== null ? (saved as { evaluationPhase?: unknown }).evaluationPhase : undefined;
  return { evaluationPhase: typeof phase === 'string' ? phase : null };
}

export function saveLocalState(state: LocalUiState): void {
  vscode().setState(state);
}
