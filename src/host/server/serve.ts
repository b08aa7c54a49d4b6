/**
 * The training host's request handling, independent of how the process starts so tests can serve a
 * fake engine. One training at a time per host process; `finetune/cancel` aborts it at the next batch.
 * User errors travel as JSON-RPC errors with code UserErrorCode and {file, fix, field} data.
 */
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  HostMethods,
  type BackendPreference,
  type InspectParams,
  type InspectResult,
  type TrainParams,
  type TrainResult,
  type UserErrorData,
  UserErrorCode,
} from '../../protocol/host';
import type { TrainingEvent } from '../../protocol/run';
import { isUserError } from '../../engine/errors';

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

  connection.onNotification(HostMethods.cancel, () => training?.abort());
}

async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUserError(error)) {
      const data: UserErrorData = { file: error.file, fix: error.fix, field: error.field };
      throw new ResponseError(UserErrorCode, error.message, data);
    }
    // Not the user's fault: keep the stack in the host's stderr (the extension logs it) and report the message.
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw new ResponseError(-32603, error instanceof Error ? error.message : String(error));
  }
}
