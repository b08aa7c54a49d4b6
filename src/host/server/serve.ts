/**
 * The training host's request handling, independent of how the process starts so tests can serve a
 * fake engine. One training at a time per host process; `finetune/cancel` aborts it at the next batch.
 * User errors travel as JSON-RPC errors with code UserErrorCode and {file, fix, field} data.
 */
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  HostMethods,
  type BackendPreference,
  type ExportModelParams,
  type ExportModelResult,
  type InspectParams,
  type InspectResult,
  type PredictParams,
  type PredictResult,
  type TrainParams,
  type TrainResult,
  type UserErrorData,
  UserErrorCode,
} from '../../protocol/host';
import type { TrainingEvent } from '../../protocol/run';
import { isUserError } from '../../shared/userError';

/** The engine functions the host calls (src/engine/index.ts provides them). */
export interface HostEngine {
  trainProject(
    projectFile: string,
    options: {
      backend: BackendPreference;
      resume?: string | true;
      threads?: number;
      signal?: AbortSignal;
      onEvent: (event: TrainingEvent) => void;
    },
  ): Promise<TrainResult>;
  inspectModel(target: string): Promise<InspectResult>;
  /** Top-k classes of image files with a run's model; optional so a test host may serve only training. */
  predictImages?(modelDir: string, files: readonly string[], topK: number): Promise<PredictResult>;
  /** Export + reload check; throws a ResponseError with ExportMismatchCode when the check fails. */
  exportModel?(runDir: string, destDir: string, format?: string): Promise<ExportModelResult>;
}

const backends: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export function serveHost(connection: MessageConnection, engine: HostEngine): void {
  let training: AbortController | null = null;

  connection.onRequest(HostMethods.inspect, async (params: InspectParams) => {
    if (typeof params?.target !== 'string') throw new ResponseError(-32602, 'inspect needs a "target" string');
    return run(() => engine.inspectModel(params.target));
  });

  connection.onRequest(HostMethods.train, async (params: TrainParams) => {
    if (typeof params?.projectFile !== 'string' || !backends.includes(params.backend)) {
      throw new ResponseError(-32602, 'train needs "projectFile" and a "backend" of auto/tensorflow/wasm/cpu');
    }
    if (training) throw new ResponseError(-32600, 'this host is already training; start another host');
    const controller = new AbortController();
    training = controller;
    try {
      return await run(() =>
        engine.trainProject(params.projectFile, {
          backend: params.backend,
          resume: params.resume,
          threads: params.threads,
          signal: controller.signal,
          onEvent: (event) => void connection.sendNotification(HostMethods.event, event),
        }),
      );
    } finally {
      training = null;
    }
  });

  connection.onRequest(HostMethods.predict, async (params: PredictParams) => {
    const valid = typeof params?.modelDir === 'string' && Array.isArray(params.files) && params.files.every((f) => typeof f === 'string');
    if (!valid) throw new ResponseError(-32602, 'predict needs a "modelDir" string and a "files" array of strings');
    const topK = params.topK ?? 3;
    if (!Number.isInteger(topK) || topK < 1) throw new ResponseError(-32602, 'predict "topK" must be a whole number of at least 1');
    const predict = engine.predictImages?.bind(engine);
    if (!predict) throw new ResponseError(-32601, 'this host cannot predict');
    return run(() => predict(params.modelDir, params.files, topK));
  });

  connection.onRequest(HostMethods.export, async (params: ExportModelParams) => {
    if (typeof params?.runDir !== 'string' || typeof params.destDir !== 'string' || (params.format !== undefined && typeof params.format !== 'string')) {
      throw new ResponseError(-32602, 'export needs "runDir" and "destDir" strings, and "format" a string when given');
    }
    const exportModel = engine.exportModel?.bind(engine);
    if (!exportModel) throw new ResponseError(-32601, 'this host cannot export');
    return run(() => exportModel(params.runDir, params.destDir, params.format));
  });

  connection.onNotification(HostMethods.cancel, () => training?.abort());
}

async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Already shaped for the client (e.g. an export mismatch with its numbers).
    if (error instanceof ResponseError) throw error;
    if (isUserError(error)) {
      const data: UserErrorData = { file: error.file, fix: error.fix, field: error.field };
      throw new ResponseError(UserErrorCode, error.message, data);
    }
    // Not the user's fault: keep the stack in the host's stderr (the extension logs it) and report the message.
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw new ResponseError(-32603, error instanceof Error ? error.message : String(error));
  }
}
