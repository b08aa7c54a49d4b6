/**
 * The training host: forked by the extension (dist/host.js), it runs the engine and speaks
 * vscode-jsonrpc over the IPC channel (src/protocol/host.ts). tfjs lives here, never in VS Code's
 * extension host. Exits when the extension disconnects.
 */
import { initBackend, inspectModel, trainProject } from '../engine';
import { startHost } from './server/startHost';

// Inspecting builds layers but never runs them: the plain CPU backend is ready at once.
let inspectBackend: Promise<unknown> | undefined;

startHost({
  async inspectModel(target) {
    inspectBackend ??= initBackend('cpu');
    await inspectBackend;
    return inspectModel(target);
  },
  async trainProject(projectFile, options) {
    const { runDir, status } = await trainProject(projectFile, options);
    return { runDir, status };
  },
});
