/** The extension's panel webview, reached through VS Code's two nested webview frames. */
import type { FrameLocator, Locator, Page } from 'playwright-core';

export class Panel {
  constructor(private readonly page: Page) {}

  /** The editor tab of the panel. */
  tab(title: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab').filter({ hasText: title });
  }

  /** The panel's document; only the visible (active) webview is `ready`. */
  get frame(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  }

  locator(selector: string): Locator {
    return this.frame.locator(selector);
  }

  async waitUntilShown(timeoutMs = 30_000): Promise<void> {
    await this.frame.locator('body *').first().waitFor({ state: 'attached', timeout: timeoutMs });
  }

  async text(): Promise<string> {
    return this.frame.locator('body').innerText();
  }
}
