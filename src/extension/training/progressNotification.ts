/**
 * The training's cancellable progress notification, shown only while the training panel is out of
 * sight: with the panel on screen its charts and Stop button say it all, and a notification would
 * cover them for the whole run. Closing (or hiding) the panel mid-run brings the notification back.
 */
import * as vscode from 'vscode';
import type { ProgressView } from './progressTracker';

export interface ProgressNotificationOptions {
  readonly title: string;
  /** True while the panel shows this project. */
  readonly panelShowing: () => boolean;
  /** Fires when the panel is shown, hidden or closed. */
  readonly onPanelChange: vscode.Event<void>;
  /** The notification's Cancel button. */
  readonly cancel: () => void;
}

export class ProgressNotification implements vscode.Disposable {
  private shown: { readonly progress: vscode.Progress<{ message?: string; increment?: number }>; readonly close: () => void; reported: number } | undefined;
  private last: ProgressView | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly options: ProgressNotificationOptions) {
    this.subscription = options.onPanelChange(() => this.sync());
    this.sync();
  }

  /** The latest progress; shown at once if the notification is up, else when it comes up. */
  update(view: ProgressView): void {
    this.last = view;
    if (this.shown) this.report();
  }

  dispose(): void {
    this.subscription.dispose();
    this.shown?.close();
    this.shown = undefined;
  }

  private sync(): void {
    const showing = this.options.panelShowing();
    if (showing && this.shown) {
      this.shown.close();
      this.shown = undefined;
    } else if (!showing && !this.shown) {
      this.open();
    }
  }

  private open(): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: this.options.title, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          const cancelled = token.onCancellationRequested(() => this.options.cancel());
          this.shown = { progress, reported: 0, close: () => (cancelled.dispose(), resolve()) };
          this.report();
        }),
    );
  }

  private report(): void {
    const shown = this.shown;
    if (!shown || !this.last) return;
    // A reopened notification starts from zero: report the whole fraction done so far.
    const increment = Math.max(0, this.last.fraction * 100 - shown.reported);
    shown.reported += increment;
    shown.progress.report({ message: this.last.message, increment });
  }
}
