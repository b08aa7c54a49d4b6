/**
 * Runs the training host (dist/host.js) as a forked child and talks vscode-jsonrpc over its IPC
 * channel. Pure Node (no vscode import) so it is tested by forking a fake host. The child's stderr goes
 * to the log; when the child exits every pending request is rejected with the exit code/signal and the
 * last stderr lines, so nothing waits forever on a dead process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ResponseError,
  type CancellationToken,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  ExportMismatchCode,
  TrainingEventNotification,
  UserErrorCode,
  type ExportVerification,
  type HostRequestType,
  type UserErrorData,
} from '../../protocol/host';
import type { TrainingEvent } from '../../protocol/run';
import { HostExitedError, HostExportMismatchError, HostUserError, LineTail, type HostExit } from './hostErrors';

/** The subset of a LogOutputChannel the client writes to. */
export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface HostClientOptions {
  /** The host script to fork (dist/host.js). */
  readonly script: string;
  readonly log: HostLog;
  /** Node flags for the child (tests use `--import tsx`). */
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export class HostClient {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly stderr = new LineTail(20);
  private readonly pending = new Set<(error: Error) => void>();
  private readonly eventListeners = new Set<(event: TrainingEvent) => void>();
  private readonly exitListeners = new Set<(exit: HostExit) => void>();
  private disposing = false;
  private exitInfo: HostExit | null = null;

  constructor(private readonly options: HostClientOptions) {
    this.child = fork(options.script, [], {
      silent: true,
      execArgv: [...(options.execArgv ?? [])],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of this.stderr.push(chunk)) if (line.trim() !== '') options.log.warn(`[host] ${line}`);
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split(/\r?\n/)) if (line.trim() !== '') options.log.info(`[host] ${line}`);
    });
    this.child.on('error', (error) => options.log.error(`training host: ${error.message}`));
    this.child.on('exit', (code, signal) => this.handleExit(code, signal));
    this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    // The raw method, not the typed object: the payload is unknown until the notification's parse has checked it.
    this.connection.onNotification(TrainingEventNotification.method, (raw: unknown) => this.handleEvent(raw));
    this.connection.onUnhandledNotification((message) => options.log.warn(`ignored an unknown message from the training host: ${message.method}`));
    this.connection.onError(([error]) => options.log.error(`training host connection: ${error.message}`));
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Set once the child has exited. */
  get exited(): HostExit | null {
    return this.exitInfo;
  }

  onTrainingEvent(listener: (event: TrainingEvent) => void): { dispose(): void } {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  onExit(listener: (exit: HostExit) => void): { dispose(): void } {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  /**
   * Sends a request and validates the answer with the type's own check. Cancelling `token` (e.g. a
   * withProgress token) sends `$/cancelRequest`; the host then ends the work early and still answers
   * (a cancelled training resolves with status 'cancelled').
   */
  async request<P, R>(type: HostRequestType<P, R>, params: P, token?: CancellationToken): Promise<R> {
    return type.parseResult(await this.send(type, params, token), params);
  }

  /** Stops the child (expected exit) and rejects anything still pending. */
  dispose(): void {
    this.disposing = true;
    this.connection.dispose();
    if (this.exitInfo === null) this.child.kill();
  }

  private send<P, R>(type: HostRequestType<P, R>, params: P, token: CancellationToken | undefined): Promise<unknown> {
    if (this.exitInfo) return Promise.reject(new HostExitedError(this.exitInfo));
    return new Promise<unknown>((resolve, reject) => {
      this.pending.add(reject);
      // By method name: the answer is `unknown` until parseResult has checked it. A missing token must
      // not be sent at all, or jsonrpc would count it as a second parameter.
      const sent = token ? this.connection.sendRequest<unknown>(type.method, params, token) : this.connection.sendRequest<unknown>(type.method, params);
      sent.then(
        (result: unknown) => {
          this.pending.delete(reject);
          resolve(result);
        },
        (error: unknown) => {
          this.pending.delete(reject);
          reject(toClientError(error));
        },
      );
    });
  }

  private handleEvent(raw: unknown): void {
    let event: TrainingEvent;
    try {
      event = TrainingEventNotification.parse(raw);
    } catch (error) {
      this.options.log.warn(`ignored a malformed message from the training host: ${(error as Error).message}`);
      return;
    }
    for (const listener of this.eventListeners) listener(event);
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    const exit: HostExit = { code, signal, stderrTail: this.stderr.snapshot(), expected: this.disposing };
    this.exitInfo = exit;
    const error = new HostExitedError(exit);
    for (const reject of this.pending) reject(error);
    this.pending.clear();
    this.connection.dispose();
    for (const listener of this.exitListeners) listener(exit);
  }
}

function toClientError(error: unknown): Error {
  if (error instanceof ResponseError && error.code === UserErrorCode) {
    return new HostUserError(error.message, error.data as UserErrorData | undefined);
  }
  if (error instanceof ResponseError && error.code === ExportMismatchCode) {
    return new HostExportMismatchError(error.message, error.data as ExportVerification | undefined);
  }
  return error instanceof Error ? error : new Error(String(error));
}
