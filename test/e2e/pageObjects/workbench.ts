/** The VS Code workbench: command palette, notifications, status bar, views. */
import type { Locator, Page } from 'playwright-core';
import { waitUntil } from '../harness/wait';

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits for the workbench and its status bar (the extension host connects after that). */
  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.statusBar.waitFor({ state: 'visible', timeout: 60_000 });
  }

  get statusBar(): Locator {
    return this.page.locator('#workbench\\.parts\\.statusbar');
  }

  /** A status bar entry whose text or accessible label contains `text`. */
  statusBarItem(text: string | RegExp): Locator {
    return this.statusBar.locator('.statusbar-item').filter({ hasText: text });
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  /** Visible rows of the open quick pick. */
  get quickPickRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row');
  }

  async openCommandPalette(): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    await this.quickInputBox.waitFor({ state: 'visible' });
  }

  /**
   * Labels of the palette's commands matching `filter` (e.g. the category "Fine-Tune"). Extension
   * contributions reach the palette a few seconds after the workbench shows, and the palette reads
   * its list when it opens: so it reopens until something matches or `timeoutMs` passes.
   */
  async paletteCommands(filter: string, timeoutMs = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.openCommandPalette();
      await this.quickInputBox.fill(`>${filter}`);
      await this.quickPickRows.first().waitFor({ state: 'visible' });
      // The list is virtualised; the filters used here are small enough to show every match.
      const labels = (await this.quickPickRows.locator('.quick-input-list-label .label-name').allTextContents()).map((l) => l.trim())
        .filter((label) => label !== 'No matching commands');
      await this.closeQuickInput();
      if (labels.length > 0 || Date.now() > deadline) return labels;
      await this.page.waitForTimeout(1_000);
    }
  }

  /** Runs a command by its palette title, e.g. "Fine-Tune: New Project". */
  async runCommand(title: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.openCommandPalette();
      await this.quickInputBox.fill(`>${title}`);
      const row = this.quickPickRows.filter({ has: this.page.locator('.label-name', { hasText: exact(title) }) }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        await row.click();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`command "${title}" is not in the palette: ${String(error)}`);
      }
    }
  }

  /** Picks the quick pick row whose label contains `label` (for commands that ask). */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.quickPickRows.filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
  }

  /** Types into an open input box and confirms it. */
  async answerInput(text: string): Promise<void> {
    await this.quickInputBox.waitFor({ state: 'visible' });
    await this.quickInputBox.fill(text);
    await this.quickInputBox.press('Enter');
  }

  /**
   * Answers VS Code's own open dialog (the simple one the browser gets): waits for the dialog whose
   * title contains `title`, types `path` and presses its `button`.
   */
  async answerFileDialog(title: string | RegExp, path: string, button: string): Promise<void> {
    await this.quickInput.filter({ hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
    // The dialog fills in its starting folder after it shows, and would replace a path typed before that.
    await this.quickPickRows.first().waitFor({ state: 'visible' });
    await waitUntil(async () => {
      if ((await this.quickInputBox.inputValue()) !== path) await this.quickInputBox.fill(path);
      return (await this.quickInputBox.inputValue()) === path;
    }, `the file dialog to take the path ${path}`);
    // While it lists the folder just typed, the dialog ignores its button: press it until the dialog goes.
    const dialog = this.quickInput.filter({ hasText: title });
    await waitUntil(async () => {
      await dialog.locator('.monaco-button', { hasText: button }).click({ timeout: 2_000 }).catch(() => undefined);
      return dialog.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false);
    }, `the file dialog "${String(title)}" to accept ${path}`);
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
  }

  /** Notification toasts currently shown, newest first. */
  get toasts(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** A toast whose message contains `text`. */
  notification(text: string | RegExp): Locator {
    return this.toasts.filter({ hasText: text });
  }

  /** Texts of every notification, including ones that left the toasts (from the notification center). */
  async allNotificationMessages(): Promise<string[]> {
    const toastTexts = await this.toasts.locator('.notification-list-item-message').allTextContents();
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center .notification-list-item-message');
    const centerTexts = (await center.count()) > 0 ? await center.allTextContents() : [];
    await this.page.keyboard.press('Escape');
    return [...new Set([...toastTexts, ...centerTexts].map((text) => text.trim()))];
  }

  /** A button (e.g. "Cancel") inside a toast. */
  notificationButton(toast: Locator, label: string): Locator {
    return toast.locator('.monaco-button', { hasText: exact(label) });
  }
}

/** A regular expression matching exactly `text`, for labels that are prefixes of others. */
export function exact(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
