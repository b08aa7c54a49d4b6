/**
 * Turns the stream of training events into what the status bar and the progress notification say:
 * phase, epoch and time left in the phase. Pure (no vscode), fed every event in order.
 */
import type { TrainingEvent } from '../../protocol/run';
import { formatPercent } from '../../shared/format';

export interface ProgressView {
  /** Status bar text, e.g. "head 2/5 · epoch 3/10 · 1:05 left". */
  readonly status: string;
  /** Progress notification message. */
  readonly message: string;
  /** Fraction of all planned batches done, 0..1. */
  readonly fraction: number;
}

interface PhasePlan {
  readonly name: string;
  readonly epochs: number;
  batchesPerEpoch: number;
}

export class ProgressTracker {
  private phases: PhasePlan[] = [];
  private phaseIndex = 0;
  private epoch = 0;
  private batch = 0;
  private phaseStartSeconds = 0;
  private seconds = 0;
  private valAccuracy: number | null = null;

  apply(event: TrainingEvent): void {
    switch (event.type) {
      case 'run': {
        const perEpoch = (batchSize: number): number => Math.max(1, Math.ceil(event.trainImages / Math.max(1, batchSize)));
        this.phases = event.phases.map((p) => ({ name: p.name, epochs: p.epochs, batchesPerEpoch: perEpoch(p.batchSize) }));
        break;
      }
      case 'phase':
        this.phaseIndex = event.phaseIndex;
        this.epoch = 0;
        this.batch = 0;
        this.phaseStartSeconds = this.seconds;
        break;
      case 'batch': {
        if (event.phaseIndex !== this.phaseIndex) this.phaseStartSeconds = this.seconds;
        this.phaseIndex = event.phaseIndex;
        this.epoch = event.epoch;
        this.batch = event.batch + 1;
        this.seconds = event.seconds;
        const plan = this.phases[event.phaseIndex];
        if (plan) plan.batchesPerEpoch = event.batchesPerEpoch;
        break;
      }
      case 'epoch':
        this.epoch = event.epoch + 1;
        this.batch = 0;
        this.seconds = event.seconds;
        if (Number.isFinite(event.val_accuracy)) this.valAccuracy = event.val_accuracy;
        break;
      case 'phaseEnd':
      case 'warning':
      case 'log':
      case 'done':
        break;
      default: {
        const unhandled: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Batches finished in the current phase, and its planned total. */
  private phaseBatches(): { done: number; total: number } {
    const plan = this.phases[this.phaseIndex];
    if (!plan) return { done: 0, total: 0 };
    return { done: this.epoch * plan.batchesPerEpoch + this.batch, total: plan.epochs * plan.batchesPerEpoch };
  }

  /** Seconds left in the current phase at its pace so far; null until one batch is timed. */
  secondsLeftInPhase(): number | null {
    const { done, total } = this.phaseBatches();
    const elapsed = this.seconds - this.phaseStartSeconds;
    if (done <= 0 || elapsed <= 0) return null;
    return Math.max(0, (elapsed / done) * (total - done));
  }

  view(): ProgressView {
    const plan = this.phases[this.phaseIndex];
    if (!plan) return { status: 'preparing…', message: 'Preparing data and model…', fraction: 0 };
    const left = this.secondsLeftInPhase();
    const epochShown = Math.min(plan.epochs, this.epoch + (this.batch > 0 ? 1 : 0)) || 1;
    const parts = [
      `${plan.name} ${this.phaseIndex + 1}/${this.phases.length}`,
      `epoch ${epochShown}/${plan.epochs}`,
      left === null ? 'estimating time' : `${formatDuration(left)} left`,
    ];
    const accuracy = this.valAccuracy === null ? '' : ` · val accuracy ${formatPercent(this.valAccuracy)}`;
    return { status: parts.join(' · '), message: `${parts.join(' · ')}${accuracy}`, fraction: this.overallFraction() };
  }

  private overallFraction(): number {
    const totals = this.phases.map((p) => p.epochs * p.batchesPerEpoch);
    const all = totals.reduce((a, b) => a + b, 0);
    if (all === 0) return 0;
    const before = totals.slice(0, this.phaseIndex).reduce((a, b) => a + b, 0);
    return Math.min(1, (before + this.phaseBatches().done) / all);
  }
}

/** 65 -> "1:05", 3725 -> "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
