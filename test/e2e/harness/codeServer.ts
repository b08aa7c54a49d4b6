/**
 * Starts a real VS Code (code-server; test/fixtures/prerequisites/codeServer.ts finds it in its cache)
 * on 127.0.0.1 with its own user-data and extensions folders, the packaged extension installed, and
 * a temp workspace. Everything it starts is killed by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CODE_SERVER } from '../../fixtures/prerequisites/codeServer';
import { ensurePrerequisite } from '../../fixtures/prerequisites/prerequisite';
import { runBounded } from './process';

export interface CodeServerOptions {
  /** Scratch folder owned by this test: user data, extensions and logs go below it. */
  readonly root: string;
  readonly workspace: string;
  readonly vsix: string;
  /** Where code-server's stdout/stderr are written (kept as an artefact). */
  readonly logFile: string;
  /** Workspace trust on and the folder left untrusted (Restricted Mode), without a startup dialog. */
  readonly restrictedMode?: boolean;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly userDataDir: string;
  stop(): Promise<void>;
}

/** VS Code settings that keep the UI predictable for tests. */
const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

/** Trust enabled, never asked at startup: the workspace opens in Restricted Mode with its banner. */
const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  'security.workspace.trust.untrustedFiles': 'open',
};

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  // Installed by scripts/e2e/install-code-server.sh (or by the prerequisite itself as root); else a one-line error naming it.
  const bin = await ensurePrerequisite(CODE_SERVER);
  const userDataDir = join(options.root, 'user-data');
  const extensionsDir = join(options.root, 'extensions');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  const settings = options.restrictedMode ? { ...TEST_SETTINGS, ...RESTRICTED_SETTINGS } : TEST_SETTINGS;
  await writeFile(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const dirs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const install = await runBounded(bin, [...dirs, '--install-extension', options.vsix, '--force'], { timeoutMs: 120_000 });
  if (install.code !== 0 || !/successfully installed/i.test(install.output)) {
    throw new Error(`installing ${options.vsix} into code-server failed:\n${install.output}`);
  }

  const port = await freePort();
  const log = createWriteStream(options.logFile);
  const child = spawn(bin, [
    ...dirs,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.restrictedMode ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    options.workspace,
  ], {
    // Own process group, so stop() also ends the extension host and the training process.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VSCODE_PROXY_URI: '' },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const url = `http://127.0.0.1:${port}`;
  const running: RunningCodeServer = {
    url,
    userDataDir,
    stop: async () => {
      await killGroup(child);
      log.end();
    },
  };
  try {
    await waitForHealthy(url, child, 60_000);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${url}/healthz within ${timeoutMs / 1000} s`);
}

/** SIGTERM to the whole group, SIGKILL if it is still there after 5 s. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(child.pid, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
  // Children that left the group (none expected) would survive; the group kill covers the forks.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
