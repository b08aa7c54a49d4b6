/** Text editors: open a workspace file, change it through the find/replace widget, save. */
import type { Locator, Page } from 'playwright-core';
import type { Workbench } from './workbench';

export class Editor {
  constructor(
    private readonly page: Page,
    private readonly workbench: Workbench,
  ) {}

  get active(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  activeTab(): Locator {
    return this.page.locator('.editor-group-container.active .tab.active');
  }

  /** Opens a file by its workspace-relative path through Quick Open. */
  async open(relativePath: string): Promise<void> {
    await this.workbench.closeQuickInput();
    await this.page.keyboard.press('Control+P');
    await this.workbench.quickInputBox.waitFor({ state: 'visible' });
    await this.workbench.quickInputBox.fill(relativePath);
    const name = relativePath.split('/').pop() ?? relativePath;
    await this.workbench.pick(name);
    await this.activeTab().filter({ hasText: name }).waitFor();
    await this.active.locator('.view-lines').waitFor({ state: 'visible' });
  }

  /** The visible lines of the active editor. */
  async visibleText(): Promise<string> {
    return (await this.active.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** Replaces every occurrence of `find` (literal) in the active editor, as a person would with Ctrl+H. */
  async replaceAll(find: string, replacement: string): Promise<void> {
    await this.active.click({ position: { x: 200, y: 10 } });
    await this.page.keyboard.press('Control+H');
    const widget = this.page.locator('.editor-group-container.active .find-widget.visible');
    await widget.waitFor();
    await widget.locator('.find-part textarea, .find-part input').first().fill(find);
    await widget.locator('.replace-part textarea, .replace-part input').first().fill(replacement);
    await widget.locator('.replace-part .codicon-replace-all').click();
    await this.page.keyboard.press('Escape');
  }

  async save(): Promise<void> {
    await this.active.click({ position: { x: 200, y: 10 } });
    await this.page.keyboard.press('Control+S');
    await this.activeTab().and(this.page.locator(':not(.dirty)')).waitFor();
  }
}
