/**
 * The boundary between the extension and the training host process (a forked Node child speaking
 * vscode-jsonrpc over its IPC channel). Method names and payloads live here only.
 */
import type { RunStatus, TrainingEvent } from './run';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** One row of the layer tree and of `finetune-guide inspect`. */
export interface LayerInfo {
  readonly name: string;
  readonly className: string;
  /** Output shape with null for the batch dimension; several for multi-output layers. */
  readonly outputShape: readonly (number | null)[] | readonly (readonly (number | null)[])[];
  readonly params: number;
  readonly trainableParams: number;
  /** Block the layer belongs to, from names such as `block_3_expand` -> `block_3`; null when none. */
  readonly block: string | null;
  /** True for layers of the new head added after the cut layer. */
  readonly isNew: boolean;
  readonly isBatchNorm: boolean;
}

export interface InspectParams {
  /** A model.json path, `builtin:mobilenet_v2`, or a finetune.json (then the prepared model: base up to the cut + head). */
  readonly target: string;
}
export interface InspectResult {
  readonly layers: readonly LayerInfo[];
  readonly totalParams: number;
}

export interface TrainParams {
  readonly projectFile: string;
  readonly backend: BackendPreference;
  /** Resume this run folder's last checkpoint (or the latest interrupted run when true). */
  readonly resume?: string | true;
  readonly threads?: number;
}
export interface TrainResult {
  readonly runDir: string;
  readonly status: RunStatus;
}

/** Request and notification names, with their payload types. */
export const HostMethods = {
  inspect: 'finetune/inspect',
  train: 'finetune/train',
  cancel: 'finetune/cancel',
  event: 'finetune/event',
} as const;

export interface HostRequests {
  [HostMethods.inspect]: { params: InspectParams; result: InspectResult };
  [HostMethods.train]: { params: TrainParams; result: TrainResult };
}
export interface HostNotifications {
  /** extension -> host: stop at the next batch, keep the checkpoint. */
  [HostMethods.cancel]: Record<string, never>;
  /** host -> extension: one training event. */
  [HostMethods.event]: TrainingEvent;
}

/** JSON-RPC error code of a request that failed with a UserError (show the message, no stack). */
export const UserErrorCode = 2;

/** `data` of a UserErrorCode response: where the problem is and how to fix it. */
export interface UserErrorData {
  readonly file: string;
  readonly fix: string;
  readonly field?: string;
}
