/**
 * End-to-end harness: the packaged extension in a real VS Code (code-server) driven by Chromium
 * (test/fixtures/chromium.ts finds it) through playwright-core. `openVsCode()` gives a session with page objects; its `close()`
 * (registered on the test context) kills the browser, code-server and everything they started.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../fixtures/chromium';
import { Cleanups, withTimeout } from '../fixtures/cleanups';
import { startCodeServer, type RunningCodeServer } from './harness/codeServer';
import { REPO_ROOT, packageExtension } from './harness/packageExtension';
import { Editor } from './pageObjects/editor';
import { LayersView } from './pageObjects/layersView';
import { Panel } from './pageObjects/panel';
import { Workbench } from './pageObjects/workbench';

/** Screenshots and code-server logs, kept after the run (gitignored). */
export const ARTEFACTS = join(REPO_ROOT, 'test-results', 'e2e');

export interface VsCodeSession {
  readonly page: Page;
  /** The folder opened as the workspace; tests put and read project files here. */
  readonly workspace: string;
  readonly workbench: Workbench;
  readonly layers: LayersView;
  readonly panel: Panel;
  readonly editor: Editor;
  /** What an output channel (e.g. the extension's LogOutputChannel "Fine-Tune Guide") has written, read from VS Code's log folder. */
  outputChannelLog(channel: string): Promise<string>;
  /** Saves test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Prepares the workspace folder before VS Code opens it. */
  readonly prepareWorkspace?: (workspace: string) => Promise<void>;
  /** Opens the workspace untrusted (Restricted Mode) instead of with workspace trust off. */
  readonly restrictedMode?: boolean;
}

/** Packages the extension, starts code-server and Chromium, and opens the workbench. */
export async function openVsCode(t: TestContext, name: string, options: SessionOptions = {}): Promise<VsCodeSession> {
  // Prerequisites first: a missing one fails in a second with its one-line message, before anything starts.
  const executablePath = await chromiumExecutable();
  await mkdir(ARTEFACTS, { recursive: true });
  const vsix = await packageExtension();
  // Registered before the first thing it undoes exists, so a failure anywhere below still closes everything.
  const cleanups = new Cleanups();
  const close = (): Promise<void> => cleanups.run();
  t.after(close);
  const root = await mkdtemp(join(tmpdir(), 'finetune-e2e-'));
  cleanups.add(() => rm(root, { recursive: true, force: true, maxRetries: 3 }));
  const workspace = join(root, 'workspace');
  await mkdir(workspace);
  await options.prepareWorkspace?.(workspace);

  let server: RunningCodeServer;
  let browser: Browser;
  try {
    server = await startCodeServer({ root, workspace, vsix, logFile: join(ARTEFACTS, `${name}.code-server.log`), restrictedMode: options.restrictedMode });
    cleanups.add(() => server.stop());
    process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
    cleanups.add(() => withTimeout(browser.close(), 10_000));
  } catch (error) {
    await close();
    throw error;
  }

  // Keep the extension's log and the extension host's log as artefacts before the temp folder goes.
  cleanups.add(async () => {
    const logs = join(server.userDataDir, 'logs');
    await writeFile(join(ARTEFACTS, `${name}.fine-tune-guide.log`), await readChannelLogs(logs, 'Fine-Tune Guide'));
    await writeFile(join(ARTEFACTS, `${name}.exthost.log`), await readChannelLogs(logs, 'exthost'));
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const screenshot = async (shot: string): Promise<string> => {
    const path = join(ARTEFACTS, `${name}-${shot}.png`);
    await page.screenshot({ path, timeout: 10_000 });
    return path;
  };
  // A last picture of whatever state the test ended in, before the browser goes.
  cleanups.add(async () => {
    await screenshot('final').catch(() => undefined);
  });

  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
  const workbench = new Workbench(page);
  await workbench.waitUntilReady();

  return {
    page,
    workspace,
    workbench,
    layers: new LayersView(page, workbench),
    panel: new Panel(page),
    editor: new Editor(page, workbench),
    outputChannelLog: (channel) => readChannelLogs(join(server.userDataDir, 'logs'), channel),
    screenshot,
    close,
  };
}

/** Concatenates every `<channel>.log` below VS Code's log folder (one per window/extension host). */
async function readChannelLogs(dir: string, channel: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile() && entry.name.includes(channel)).map((entry) => join(entry.parentPath, entry.name));
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
  return texts.join('\n');
}
