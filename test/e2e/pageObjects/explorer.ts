/** The Explorer view: expand folders, select files (several with Ctrl), and run a context-menu item. */
import type { Locator, Page } from 'playwright-core';
import { exact, type Workbench } from './workbench';

export class Explorer {
  constructor(
    private readonly page: Page,
    private readonly workbench: Workbench,
  ) {}

  get view(): Locator {
    return this.page.locator('.explorer-folders-view');
  }

  /** The tree row whose label is exactly `name` (the first one when names repeat). */
  row(name: string): Locator {
    return this.view.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact(name) }) }).first();
  }

  async open(): Promise<void> {
    if (await this.view.isVisible()) return;
    await this.workbench.runCommand('View: Show Explorer');
    await this.view.waitFor({ state: 'visible' });
  }

  /** Expands each folder of `folders` in turn (e.g. ['data', 'sneaker']). */
  async expand(...folders: string[]): Promise<void> {
    for (const folder of folders) {
      const row = this.row(folder);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle());
    }
  }

  /** Selects the files: the first with a click, the others with Ctrl+click. */
  async select(...names: string[]): Promise<void> {
    for (const [index, name] of names.entries()) {
      await this.row(name).click({ modifiers: index === 0 ? [] : ['Control'] });
    }
  }

  /** Right-clicks `name` (keeping the selection it is part of) and clicks the menu item `item`. */
  async runContextMenu(name: string, item: string): Promise<void> {
    await this.row(name).click({ button: 'right' });
    const entry = this.page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: exact(item) }).first();
    await entry.hover();
    await entry.click();
    // A click that lands while the menu is still laying itself out is dropped: then Enter runs the focused item.
    const menu = this.page.locator('.context-view .monaco-menu');
    if (!(await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false))) {
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
    }
  }

  /** Labels of the enabled items of `name`'s context menu (closes the menu again). */
  async contextMenuItems(name: string): Promise<string[]> {
    await this.row(name).click({ button: 'right' });
    const items = this.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
    await items.first().waitFor();
    const labels = (await items.allInnerTexts()).map((text) => text.trim()).filter((text) => text !== '');
    await this.page.keyboard.press('Escape');
    return labels;
  }
}
