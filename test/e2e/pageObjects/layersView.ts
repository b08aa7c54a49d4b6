/** The "Layers" tree view: rows, their checkboxes, descriptions and context menus. */
import type { Locator, Page } from 'playwright-core';
import { exact, type Workbench } from './workbench';

export interface LayerRow {
  readonly label: string;
  readonly description: string;
  /** null when the row has no checkbox. */
  readonly checked: boolean | null;
  readonly level: number;
  readonly expandable: boolean;
}

export class LayersView {
  constructor(
    private readonly page: Page,
    private readonly workbench: Workbench,
    private readonly title = 'Layers',
  ) {}

  get pane(): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header h3.title', { hasText: exact(this.title) }) });
  }

  get rows(): Locator {
    return this.pane.locator('.monaco-list-row[role="treeitem"]');
  }

  /** Shows the view (commands like Open Layers reveal it themselves; give them a moment first). */
  async open(): Promise<void> {
    const body = this.pane.locator('.pane-body');
    if (await body.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return;
    await this.workbench.runCommand('View: Open View');
    await this.workbench.quickInputBox.fill(`view ${this.title}`);
    await this.workbench.pick(new RegExp(`^\\s*${this.title}`));
    await body.waitFor({ state: 'visible' });
  }

  /** The view's description in its header (the trainable/total parameter count of the phase). */
  async paramSummary(): Promise<string> {
    return ((await this.pane.locator('.pane-header .description').first().textContent()) ?? '').trim();
  }

  /** The message the view shows when it has no rows (viewsWelcome or TreeView.message). */
  async message(): Promise<string> {
    const parts = await this.pane.locator('.pane-body .message:not(.hide), .pane-body .welcome-view-content').allInnerTexts();
    return parts.join('\n').trim();
  }

  /** The row whose label is exactly `label`. */
  row(label: string): Locator {
    return this.rows.filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) }).first();
  }

  /** Waits until the row labelled `label` is rendered. */
  async waitForRow(label: string, timeoutMs = 30_000): Promise<Locator> {
    const row = this.row(label);
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    return row;
  }

  checkbox(label: string): Locator {
    return this.row(label).locator('.custom-view-tree-node-item-checkbox');
  }

  /** The rendered rows (the tree is virtualised: only what fits on screen). */
  async visibleRows(): Promise<LayerRow[]> {
    const rows: LayerRow[] = [];
    for (const row of await this.rows.all()) {
      const checkbox = row.locator('.custom-view-tree-node-item-checkbox');
      const hasCheckbox = (await checkbox.count()) > 0;
      rows.push({
        label: (await row.locator('.label-name').first().innerText()).trim(),
        description: ((await row.locator('.label-description').first().textContent()) ?? '').trim(),
        checked: hasCheckbox ? (await checkbox.getAttribute('aria-checked')) === 'true' : null,
        level: Number(await row.getAttribute('aria-level')),
        expandable: (await row.getAttribute('aria-expanded')) !== null,
      });
    }
    // Rows are positioned absolutely; DOM order is not screen order.
    return rows;
  }

  async isChecked(label: string): Promise<boolean> {
    return (await this.checkbox(label).getAttribute('aria-checked')) === 'true';
  }

  /** Clicks the row's checkbox and waits for the rendered state to flip. */
  async toggle(label: string): Promise<void> {
    const before = await this.isChecked(label);
    await this.checkbox(label).click();
    await this.checkbox(label).and(this.page.locator(`[aria-checked="${String(!before)}"]`)).waitFor();
  }

  async expand(label: string): Promise<void> {
    const row = this.row(label);
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await row.and(this.page.locator('[aria-expanded="true"]')).waitFor();
    }
  }

  async collapse(label: string): Promise<void> {
    const row = this.row(label);
    if ((await row.getAttribute('aria-expanded')) === 'true') {
      await row.locator('.monaco-tl-twistie').click();
      await row.and(this.page.locator('[aria-expanded="false"]')).waitFor();
    }
  }

  /** The visible context menu's enabled items. */
  private get menuItems(): Locator {
    return this.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label').locator('visible=true');
  }

  /** Right-clicks the row and returns the context menu's item labels. */
  async contextMenu(label: string): Promise<string[]> {
    await this.row(label).click({ button: 'right' });
    await this.menuItems.first().waitFor({ state: 'visible' });
    return (await this.menuItems.allInnerTexts()).map((text) => text.trim()).filter((text) => text.length > 0);
  }

  /** Right-clicks the row and runs a context menu item. */
  async runContextMenuItem(label: string, item: string): Promise<void> {
    await this.contextMenu(label);
    const entry = this.menuItems.filter({ hasText: exact(item) }).first();
    await entry.hover();
    // VS Code's menus ignore a mouse-up that comes right after they open (so the right-click's own
    // release does not pick an item); a person's click comes later than Playwright's.
    await this.page.waitForTimeout(300);
    await entry.click();
    await this.menuItems.first().waitFor({ state: 'hidden' });
  }

  /** Runs an action from the view's title bar (icon buttons are found by their tooltip). */
  async runTitleAction(title: string): Promise<void> {
    await this.pane.locator('.pane-header').hover();
    await this.pane.locator(`.pane-header .actions .action-label[aria-label^="${title}"]`).first().click();
  }
}
