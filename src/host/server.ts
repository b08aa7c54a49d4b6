/**
 * The training host: forked by the extension (dist/host.js), it runs the engine and speaks
 * vscode-jsonrpc over the IPC channel (src/protocol/host.ts). tfjs lives here, never in VS Code's
 * extension host. Exits when the extension disconnects.
 */
import { ResponseError } from 'vscode-jsonrpc/node';
import { ExportMismatchCode } from '../protocol/host';
import { ExportMismatchError, exportModel, initBackend, inspectModel, predictImages, trainProject } from '../engine';
import { startHost } from './server/startHost';

// Inspecting builds layers but never runs them: the plain CPU backend is ready at once.
let inspectBackend: Promise<unknown> | undefined;
// Predict and export run the model: the best available backend (each command starts its own host).
let modelBackend: Promise<unknown> | undefined;

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
  async predictImages(modelDir, files, topK) {
    modelBackend ??= initBackend('auto');
    await modelBackend;
    return { predictions: await predictImages(modelDir, files, topK) };
  },
  async exportModel(runDir, destDir, format) {
    modelBackend ??= initBackend('auto');
    await modelBackend;
    try {
      const { dir, files, classes, verification } = await exportModel(runDir, destDir, { format });
      return { dir, files, classes, verification };
    } catch (error) {
      if (error instanceof ExportMismatchError) throw new ResponseError(ExportMismatchCode, error.message, error.result);
      throw error;
    }
  },
});
