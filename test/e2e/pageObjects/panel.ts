/** The training panel webview, reached through VS Code's two nested webview frames. */
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface StageState {
  readonly id: string;
  readonly status: string;
  readonly title: string;
}

export interface ChartDataset {
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** The read-only hook webview/main.ts exposes for tests. */
interface PanelHook {
  datasets(id: string): ChartDataset[];
  chartColors(): ChartColors;
}

/** The colours the charts draw with, read from the VS Code theme. */
export interface ChartColors {
  readonly train: string;
  readonly val: string;
  readonly foreground: string;
}

export class Panel {
  constructor(private readonly page: Page) {}

  /** The panel's editor tab. */
  tab(title: string | RegExp = /Fine-Tune/): Locator {
    return this.page.locator('.tabs-container .tab').filter({ hasText: title });
  }

  /** The panel's document; only the visible (active) webview is `ready`. */
  get frame(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  }

  locator(selector: string): Locator {
    return this.frame.locator(selector);
  }

  /** Waits until the webview script has laid out its sections. */
  async waitUntilShown(timeoutMs = 30_000): Promise<void> {
    await this.frame.locator('#pipeline').waitFor({ state: 'attached', timeout: timeoutMs });
  }

  async text(): Promise<string> {
    return this.frame.locator('body').innerText();
  }

  /** The pipeline boxes in order with their status (pending, running, done, ...). */
  async stages(): Promise<StageState[]> {
    const boxes = this.frame.locator('#pipeline [data-stage]');
    const result: StageState[] = [];
    for (const box of await boxes.all()) {
      result.push({
        id: (await box.getAttribute('data-stage')) ?? '',
        status: (await box.getAttribute('data-status')) ?? '',
        title: (await box.locator('.stage-title').innerText()).trim(),
      });
    }
    return result;
  }

  /** Column headers of the phase comparison table ("1. train head", ...). */
  async phaseTableColumns(): Promise<string[]> {
    const headers = await this.frame.locator('#phase-table thead th').allInnerTexts();
    return headers.slice(1).map((text) => text.trim());
  }

  /** Cells of one phase table row, e.g. `status` or `bestAcc`, one per phase. */
  async phaseTableRow(key: string): Promise<string[]> {
    return (await this.frame.locator(`#phase-table tr[data-row="${key}"] td`).allInnerTexts()).map((text) => text.trim());
  }

  /** What a chart (loss, accuracy, batch, lr) currently draws, read through the panel's test hook. */
  async chart(id: string): Promise<ChartDataset[]> {
    return this.frame.locator('body').evaluate((_body, chartId) => {
      const hook = (globalThis as unknown as { __finetunePanel?: PanelHook }).__finetunePanel;
      return hook ? hook.datasets(chartId) : [];
    }, id);
  }

  /** Total number of points over a chart's datasets. */
  async chartPointCount(id: string): Promise<number> {
    return (await this.chart(id)).reduce((sum, dataset) => sum + dataset.points.length, 0);
  }

  /** The chart colours the panel took from the current theme (read-only test hook). */
  async chartColors(): Promise<ChartColors | null> {
    return this.frame.locator('body').evaluate(() => {
      const hook = (globalThis as unknown as { __finetunePanel?: PanelHook }).__finetunePanel;
      return hook ? hook.chartColors() : null;
    });
  }

  /** The skipped files the run heading lists: file name and reason. */
  async skippedFiles(): Promise<{ name: string; reason: string }[]> {
    const rows = this.frame.locator('.skipped-list li');
    const result: { name: string; reason: string }[] = [];
    for (const row of await rows.all()) {
      const name = await row.locator('[data-open-skipped]').innerText().catch(() => '');
      if (name) result.push({ name: name.trim(), reason: (await row.locator('.skipped-reason').innerText()).trim() });
    }
    return result;
  }

  /** A run control in the header (start, stop, resume, export, openConfig). */
  runControl(action: string): Locator {
    return this.frame.locator(`.run-controls vscode-button[data-action="${action}"]`);
  }

  /** The run controls shown, in order (the main one first). */
  async runControls(): Promise<string[]> {
    const buttons = await this.frame.locator('.run-controls vscode-button').all();
    return Promise.all(buttons.map(async (b) => (await b.getAttribute('data-action')) ?? ''));
  }

  /** The run's status badge: its status attribute and the word it shows ("live" while streaming). */
  async runBadge(): Promise<{ status: string; text: string } | null> {
    const badge = this.frame.locator('[data-run-status]');
    if ((await badge.count()) === 0) return null;
    return { status: (await badge.getAttribute('data-run-status')) ?? '', text: (await badge.innerText()).trim() };
  }

  /** Closes the panel's editor tab. */
  async close(): Promise<void> {
    const tab = this.tab();
    await tab.hover();
    await tab.locator('.codicon-close, .action-label.codicon-close').first().click();
    await tab.waitFor({ state: 'detached' });
  }
}
