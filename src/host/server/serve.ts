/**
 * The training host's request handling, independent of how the process starts so tests can serve a
 * fake engine. Each handler is registered with its request's type object (src/protocol/host.ts), whose
 * check turns bad params into InvalidParams before the engine sees them. One training at a time per
 * host process; cancelling the train request (`$/cancelRequest`) aborts it at the next batch.
 * User errors travel as JSON-RPC errors with code UserErrorCode and {file, fix, field} data.
 */
import { ErrorCodes, ResponseError, type CancellationToken, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  ExportModelRequest,
  InspectRequest,
  PredictRequest,
  TrainingEventNotification,
  TrainRequest,
  UserErrorCode,
  type BackendPreference,
  type ExportModelResult,
  type HostRequestType,
  type InspectResult,
  type PredictResult,
  type TrainResult,
  type UserErrorData,
} from '../../protocol/host';
import type { TrainingEvent } from '../../protocol/run';
import { BACKEND_NAMES, isBackendPreference } from '../../shared/backends';
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

export function serveHost(connection: MessageConnection, engine: HostEngine): void {
  let training = false;
  const handle = <P, R>(type: HostRequestType<P, R>, handler: (params: P, signal: AbortSignal) => Promise<R>): void => {
    connection.onRequest(type.method, (raw: unknown, token: CancellationToken) => {
      let params: P;
      try {
        params = type.parseParams(raw);
      } catch (error) {
        throw new ResponseError(ErrorCodes.InvalidParams, (error as Error).message);
      }
      return run(() => handler(params, abortSignalOf(token)));
    });
  };

  handle(InspectRequest, (params) => engine.inspectModel(params.target));

  handle(TrainRequest, async (params, signal) => {
    if (!isBackendPreference(params.backend)) throw new ResponseError(ErrorCodes.InvalidParams, `train needs a "backend" of ${BACKEND_NAMES.join('/')}`);
    if (training) throw new ResponseError(ErrorCodes.InvalidRequest, 'this host is already training; start another host');
    training = true;
    try {
      return await engine.trainProject(params.projectFile, {
        backend: params.backend,
        resume: params.resume,
        threads: params.threads,
        signal,
        onEvent: (event) => void connection.sendNotification(TrainingEventNotification, event),
      });
    } finally {
      training = false;
    }
  });

  handle(PredictRequest, (params) => {
    if (!engine.predictImages) throw new ResponseError(ErrorCodes.MethodNotFound, 'this host cannot predict');
    return engine.predictImages(params.modelDir, params.files, params.topK ?? 3);
  });

  handle(ExportModelRequest, (params) => {
    if (!engine.exportModel) throw new ResponseError(ErrorCodes.MethodNotFound, 'this host cannot export');
    return engine.exportModel(params.runDir, params.destDir, params.format);
  });
}

/** The engine stops on an AbortSignal; the connection cancels a request's token. */
function abortSignalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
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
