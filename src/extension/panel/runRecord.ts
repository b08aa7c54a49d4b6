/**
 * What the panel knows about one run, built from live TrainingEvents or from the run folder's files.
 * Pure: no vscode import, so it is unit-tested in plain Node.
 */
import type {
  ClassSplitCount,
  BatchMetrics,
  EpochMetrics,
  MetricRecord,
  ModelPlanInfo,
  PhasePlanInfo,
  PhaseSummary,
  RunStatus,
  RunSummary,
  SkippedFile,
  TrainingEvent,
} from '../../protocol/run';
import type { BatchPoint, EpochPoint, PhaseCache } from '../../protocol/webview';

/** Smoothing of the per-batch loss; 0.9 is TensorBoard's default feel for noisy small batches. */
const SMOOTHING = 0.9;

/** The new points an event added, to be streamed to the webview. */
export interface AppendedPoints {
  readonly epochs: EpochPoint[];
  readonly batches: BatchPoint[];
}

export class RunRecord {
  status: RunStatus = 'running';
  live = false;
  backend: string | null = null;
  threads: number | null = null;
  classes: readonly string[] = [];
  trainImages: number | null = null;
  classCounts: readonly ClassSplitCount[] = [];
  valImages: number | null = null;
  testImages: number | null = null;
  testAccuracy: number | null = null;
  model: ModelPlanInfo | null = null;
  /** Base model name and cut layer from the config snapshot, when the model plan is unknown. */
  configModel: { base: string; cutLayer: string } | null = null;
  /** Each phase's `trainable` setting from the config snapshot, in words (when layer counts are unknown). */
  trainableWords: string[] = [];
  plans: PhasePlanInfo[] = [];
  readonly cache = new Map<number, PhaseCache>();
  readonly phaseSummaries = new Map<number, PhaseSummary>();
  /** Phases that have started (a `phase` event or a metric row). */
  readonly startedPhases = new Set<number>();
  readonly phaseNames = new Map<number, string>();
  readonly epochs: EpochPoint[] = [];
  readonly batches: BatchPoint[] = [];
  /** The metrics rows behind the points, in the order added (a resumed run keeps those before its checkpoint). */
  readonly rows: MetricRecord[] = [];
  /** Latest batch progress per phase: epoch, batch and batches per epoch. */
  readonly batchProgress = new Map<number, { epoch: number; batch: number; batchesPerEpoch: number }>();
  /** Epochs seen per phase (max epoch index + 1), used to place later phases on the global axis. */
  private readonly epochsSeen = new Map<number, number>();
  private readonly smoothState = new Map<number, { value: number; steps: number }>();
  summary: RunSummary | null = null;
  modelDir: string | null = null;
  message: string | null = null;
  readonly warnings: string[] = [];
  /** Files the engine left out, each once, in the order reported. */
  readonly skipped: SkippedFile[] = [];
  /** The run has a checkpoint on disk (read when it is loaded or ends): with a non-completed status, Resume continues it. */
  hasCheckpoint = false;
  /** Bytes of metrics.jsonl read so far (complete lines), where following a running run resumes. */
  metricsBytes = 0;

  constructor(
    readonly runId: string,
    readonly runDir: string,
  ) {}

  /** Applies one engine event; returns the chart points it added. */
  apply(event: TrainingEvent): AppendedPoints {
    const none: AppendedPoints = { epochs: [], batches: [] };
    switch (event.type) {
      case 'run':
        this.live = true;
        this.status = 'running';
        this.backend = event.backend;
        this.threads = event.threads;
        this.classes = event.classes;
        this.trainImages = event.trainImages;
        this.classCounts = event.classCounts ?? [];
        this.valImages = event.valImages;
        this.model = event.model;
        this.plans = [...event.phases];
        this.plans.forEach((plan, index) => this.phaseNames.set(index, plan.name));
        return none;
      case 'phase':
        this.startedPhases.add(event.phaseIndex);
        this.phaseNames.set(event.phaseIndex, event.phase);
        this.plans[event.phaseIndex] = event.plan;
        this.backend = event.backend;
        this.cache.set(event.phaseIndex, { phaseIndex: event.phaseIndex, ...event.cache });
        return none;
      case 'batch':
        return { epochs: [], batches: [this.addBatch(event)] };
      case 'epoch':
        return { epochs: [this.addEpoch(event)], batches: [] };
      case 'phaseEnd':
        this.phaseSummaries.set(event.phaseIndex, event.summary);
        return none;
      case 'warning':
        // The message already counts the files; they are listed one by one from `skipped`.
        this.warnings.push(event.message);
        this.addSkipped(event.files ?? []);
        return none;
      case 'log':
        return none;
      case 'done':
        this.live = false;
        this.status = event.status;
        this.setSummary(event.summary);
        return none;
      default: {
        // A type added to the protocol but not drawn yet: nothing to show.
        const unhandled: never = event;
        void unhandled;
        return none;
      }
    }
  }

  /**
   * The host ended without a `done` (killed, crashed, vanished): the run is interrupted now, not
   * "running" until something else happens. A run that already ended keeps its own status.
   */
  markInterrupted(reason: string): boolean {
    if (this.status !== 'running') return false;
    this.live = false;
    this.status = 'interrupted';
    this.message = reason;
    return true;
  }

  /** Adds skipped files not seen yet (the engine reports some twice: at the start and in the manifest). */
  addSkipped(files: readonly SkippedFile[]): void {
    const known = new Set(this.skipped.map((skipped) => skipped.file));
    for (const file of files) {
      if (known.has(file.file)) continue;
      known.add(file.file);
      this.skipped.push({ file: file.file, reason: file.reason });
    }
  }

  /** Records summary.json (or the `done` event's summary). */
  setSummary(summary: RunSummary): void {
    this.summary = summary;
    this.status = summary.status;
    this.backend = summary.backend;
    this.threads = summary.threads;
    this.classes = summary.classes;
    this.modelDir = summary.modelDir;
    this.message = summary.message ?? null;
    this.testImages = summary.testImages ?? null;
    this.testAccuracy = summary.testAccuracy ?? null;
    // Class-balance warnings of a run read from disk (a live run already has them from its warning events).
    for (const warning of summary.warnings ?? []) if (!this.warnings.some((w) => w.endsWith(warning))) this.warnings.push(warning);
    summary.phases.forEach((phase, index) => {
      this.phaseSummaries.set(index, phase);
      this.phaseNames.set(index, phase.name);
    });
  }

  /** Where phase `phaseIndex` starts on the global epoch axis: the epochs the earlier phases ran. */
  phaseOffset(phaseIndex: number): number {
    let offset = 0;
    for (let index = 0; index < phaseIndex; index++) {
      offset += this.phaseSummaries.get(index)?.epochsRun ?? this.epochsSeen.get(index) ?? 0;
    }
    return offset;
  }

  addBatch(row: BatchMetrics): BatchPoint {
    this.rows.push(row);
    this.notePhase(row.phaseIndex, row.phase, row.seconds);
    this.batchProgress.set(row.phaseIndex, { epoch: row.epoch, batch: row.batch, batchesPerEpoch: row.batchesPerEpoch });
    const perEpoch = Math.max(1, row.batchesPerEpoch);
    const x = this.phaseOffset(row.phaseIndex) + row.epoch + (row.batch + 1) / perEpoch;
    const point: BatchPoint = {
      phaseIndex: row.phaseIndex,
      x,
      loss: row.loss,
      smoothLoss: this.smooth(row.phaseIndex, row.loss),
      lr: row.lr,
    };
    this.batches.push(point);
    return point;
  }

  addEpoch(row: EpochMetrics): EpochPoint {
    this.rows.push(row);
    this.notePhase(row.phaseIndex, row.phase, row.seconds);
    this.epochsSeen.set(row.phaseIndex, Math.max(this.epochsSeen.get(row.phaseIndex) ?? 0, row.epoch + 1));
    const point: EpochPoint = {
      phaseIndex: row.phaseIndex,
      x: this.phaseOffset(row.phaseIndex) + row.epoch + 1,
      loss: row.loss,
      accuracy: row.accuracy,
      valLoss: row.val_loss,
      valAccuracy: row.val_accuracy,
      lr: row.lr,
    };
    this.epochs.push(point);
    this.lastEpochRows.set(row.phaseIndex, row);
    return point;
  }

  /** The last epoch row per phase (for epochs planned and images per second of a running phase). */
  readonly lastEpochRows = new Map<number, EpochMetrics>();

  /** Epochs this phase has finished so far. */
  epochsDone(phaseIndex: number): number {
    return this.phaseSummaries.get(phaseIndex)?.epochsRun ?? this.epochsSeen.get(phaseIndex) ?? 0;
  }

  /** Number of phases known from the plan, the summaries or the metrics. */
  phaseCount(): number {
    const indexes = [...this.phaseNames.keys(), ...this.phaseSummaries.keys(), this.plans.length - 1];
    return Math.max(-1, ...indexes) + 1;
  }

  /** First and last `seconds` seen per phase, for the time of a phase that has not ended. */
  readonly phaseSeconds = new Map<number, { first: number; last: number }>();

  private notePhase(phaseIndex: number, name: string, seconds: number): void {
    const seen = this.phaseSeconds.get(phaseIndex);
    this.phaseSeconds.set(phaseIndex, { first: seen?.first ?? seconds, last: seconds });
    this.startedPhases.add(phaseIndex);
    if (!this.phaseNames.has(phaseIndex)) this.phaseNames.set(phaseIndex, name);
  }

  /** Bias-corrected EMA (as Adam does), so the first points are not pulled towards zero. */
  private smooth(phaseIndex: number, loss: number): number {
    const previous = this.smoothState.get(phaseIndex) ?? { value: 0, steps: 0 };
    // A NaN loss (the engine stops on it) must not poison the curve drawn so far.
    if (!Number.isFinite(loss)) return previous.steps > 0 ? previous.value / (1 - SMOOTHING ** previous.steps) : loss;
    const state = { value: SMOOTHING * previous.value + (1 - SMOOTHING) * loss, steps: previous.steps + 1 };
    this.smoothState.set(phaseIndex, state);
    return state.value / (1 - SMOOTHING ** state.steps);
  }
}
