/**
 * What the panel currently shows, updated by the extension's messages. No DOM here: the renderers
 * read it. Live `events` append points and replace the small derived state.
 */
import type { BatchPoint, ComparedRun, EmbeddingView, EpochPoint, ExtensionMessage, LrFindView, PhaseEvaluationView, RunListItem, RunView, StageId } from '../src/protocol/webview';

export interface PanelState {
  projectDir: string | null;
  run: RunView | null;
  /** Kept separately from `run` so live points are appended without copying the view. */
  epochs: EpochPoint[];
  batches: BatchPoint[];
  runs: readonly RunListItem[];
  compared: readonly ComparedRun[];
  focus: StageId | null;
  /** True when an earlier run is shown instead of the live/newest one. */
  pinned: boolean;
  /** The shown run's evaluation.json entries and report.md path (arrive after the snapshot). */
  evaluation: readonly PhaseEvaluationView[];
  /** The held-out test set's evaluation (evaluation.json `test`), shown apart from the phases' validation. */
  testEvaluation: PhaseEvaluationView | null;
  reportPath: string | null;
  /** Which phase's evaluation is shown; null = the latest. */
  evaluationPhase: string | null;
  evaluationRunId: string | null;
  /** The shown run's embedding.json projections (arrive with the evaluation). */
  embedding: EmbeddingView | null;
  /** The project's learning-rate sweeps (one per phase that has one); not tied to a run. */
  lrFind: readonly LrFindView[];
}

export function emptyState(): PanelState {
  return { projectDir: null, run: null, epochs: [], batches: [], runs: [], compared: [], focus: null, pinned: false, evaluation: [], testEvaluation: null, reportPath: null, evaluationPhase: null, evaluationRunId: null, embedding: null, lrFind: [] };
}

/** What a message changed, so only those parts are redrawn. */
export interface Changed {
  readonly run: boolean;
  readonly points: boolean;
  readonly runs: boolean;
  readonly compared: boolean;
  readonly evaluation?: boolean;
  readonly lrFind?: boolean;
}

/** Applies one (already validated) extension message to the state. */
export function applyMessage(state: PanelState, message: ExtensionMessage): Changed {
  switch (message.type) {
    case 'snapshot':
      state.projectDir = message.projectDir;
      state.run = message.run;
      state.epochs = [...(message.run?.epochs ?? [])];
      state.batches = [...(message.run?.batches ?? [])];
      state.runs = message.runs;
      state.compared = message.compared;
      state.focus = message.focus;
      state.pinned = message.pinned;
      // A new snapshot may show another run: its evaluation follows in its own message.
      if (state.run?.info.runId !== state.evaluationRunId) {
        state.evaluation = [];
        state.testEvaluation = null;
        state.reportPath = null;
        state.embedding = null;
      }
      return { run: true, points: true, runs: true, compared: true, evaluation: true };
    case 'events': {
      // Points of a run we are not showing belong to a snapshot still on its way: drop them.
      if (!state.run || state.run.info.runId !== message.runId) return { run: false, points: false, runs: false, compared: false };
      state.epochs.push(...message.epochs);
      for (const point of message.batches) state.batches.push(point);
      state.run = { ...state.run, ...pick(message), epochs: state.epochs, batches: state.batches };
      return { run: true, points: message.epochs.length + message.batches.length > 0, runs: false, compared: false };
    }
    case 'runs':
      state.runs = message.runs;
      return { run: false, points: false, runs: true, compared: false };
    case 'comparison':
      state.compared = message.compared;
      return { run: false, points: false, runs: false, compared: true };
    case 'evaluation':
      if (state.run?.info.runId !== message.runId) return { run: false, points: false, runs: false, compared: false };
      state.evaluation = message.phases;
      state.testEvaluation = message.test ?? null;
      state.reportPath = message.reportPath;
      state.evaluationRunId = message.runId;
      state.embedding = message.embedding ?? null;
      return { run: false, points: false, runs: false, compared: false, evaluation: true };
    case 'lrFind':
      state.lrFind = message.sweeps;
      return { run: false, points: false, runs: false, compared: false, lrFind: true };
    case 'theme':
      return { run: false, points: false, runs: false, compared: false };
    default: {
      const unhandled: never = message;
      return unhandled;
    }
  }
}

function pick(message: Extract<ExtensionMessage, { type: 'events' }>): Pick<RunView, 'info' | 'stages' | 'phases' | 'boundaries' | 'batchCount'> {
  return { info: message.info, stages: message.stages, phases: message.phases, boundaries: message.boundaries, batchCount: message.batchCount };
}
