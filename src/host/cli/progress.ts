/**
 * Human-readable training progress: on a terminal one line per epoch redrawn after every batch (bar,
 * loss, accuracy, time left in the phase); otherwise plain lines per epoch only.
 */
import type { TrainingEvent } from '../../protocol/run';
import { RUN_FILES } from '../../runs';
import { formatClock, formatDuration, formatLoss, formatParams, formatPercent, MISSING } from '../../shared/format';
import type { CliIO } from './io';
import { describeKeptWeights } from '../../shared/keptWeights';

const BAR_WIDTH = 24;

/** The terminal's dash for a number that is not there (a diverged loss). */
const orNa = (text: string): string => (text === MISSING ? 'n/a' : text);
const percent = (value: number): string => orNa(formatPercent(value));
const fixed = (value: number): string => orNa(formatLoss(value));

/** Prints events for people; `print(event)` for each event in order. */
export class ProgressPrinter {
  private epochs = 0;
  private phaseStartedAt = 0;
  private batchesDone = 0;
  private lineOpen = false;

  constructor(private readonly io: CliIO) {}

  print(event: TrainingEvent): void {
    switch (event.type) {
      case 'run':
        this.line(`Run ${event.runId}${event.resumedFrom ? ` (resuming ${event.resumedFrom})` : ''}: ${event.classes.length} classes (${namesOf(event.classes)}), ${event.trainImages} training / ${event.valImages} validation images, backend ${event.backend} (${event.threads} thread${event.threads === 1 ? '' : 's'}).`);
        this.line(`Model: ${event.model.base} cut at ${event.model.cutLayer}, input ${event.model.inputShape.join('x')}, new head ${event.model.headLayers.join(', ')}.`);
        this.line(`Run folder: ${event.runDir}`);
        break;
      case 'phase':
        this.epochs = event.plan.epochs;
        this.phaseStartedAt = Date.now();
        this.batchesDone = 0;
        this.line(
          `Phase ${event.phaseIndex + 1} "${event.phase}": ${event.plan.epochs} epochs, ${event.plan.optimizer} lr ${event.plan.learningRateFrom !== undefined ? `${event.plan.learningRateFrom}..` : ''}${event.plan.learningRate}${event.plan.schedule ? ` (${event.plan.schedule})` : ''}, ` +
            `training ${formatParams(event.plan.trainableParams)} of ${formatParams(event.plan.totalParams)} parameters (${event.plan.trainableLayers}/${event.plan.totalLayers} layers), backend ${event.backend}.`,
        );
        break;
      case 'batch': {
        if (!this.io.isTTY) break;
        this.batchesDone += 1;
        const perBatch = (Date.now() - this.phaseStartedAt) / 1000 / this.batchesDone;
        const left = (this.epochs - event.epoch) * event.batchesPerEpoch - (event.batch + 1);
        const filled = Math.round(((event.batch + 1) / event.batchesPerEpoch) * BAR_WIDTH);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
        this.redraw(`  epoch ${event.epoch + 1}/${this.epochs} [${bar}] ${event.batch + 1}/${event.batchesPerEpoch} loss ${fixed(event.loss)} acc ${percent(event.accuracy)} - ${formatClock(left * perBatch)} left`);
        break;
      }
      case 'epoch':
        this.line(
          `  epoch ${event.epoch + 1}/${event.epochs}: loss ${fixed(event.loss)} acc ${percent(event.accuracy)}, val_loss ${fixed(event.val_loss)} val_acc ${percent(event.val_accuracy)} (${Math.round(event.imagesPerSecond)} img/s)`,
        );
        break;
      case 'phaseEnd': {
        const s = event.summary;
        const early = s.stoppedEarly ? `, stopped early after ${s.epochsRun} epochs` : '';
        const kept = describeKeptWeights(s);
        const weights = kept === MISSING ? '' : `, weights kept: ${kept}`;
        this.line(`  ${s.status === 'done' ? 'done' : s.status}: val accuracy ${percent(s.valAccuracy)} (best epoch ${s.bestEpoch + 1}${weights})${early}, ${formatDuration(s.seconds)}.`);
        break;
      }
      case 'warning':
        this.closeLine();
        this.io.err(`warning: ${event.message}\n`);
        for (const file of event.files?.slice(0, 10) ?? []) this.io.err(`  ${file.file}: ${file.reason}\n`);
        if ((event.files?.length ?? 0) > 10) this.io.err(`  ... and ${(event.files?.length ?? 0) - 10} more (listed in the run's ${RUN_FILES.manifest})\n`);
        break;
      case 'log':
        if (event.level === 'info') {
          this.closeLine();
          this.io.err(`${event.message}\n`);
        }
        break;
      case 'done': {
        const { summary } = event;
        if (event.status === 'completed') {
          this.line(`Completed: validation accuracy ${percent(summary.valAccuracy)}. Model saved to ${summary.modelDir}`);
          // Apart from validation: the test set picked nothing, so this is the unbiased number.
          if (summary.testImages) this.line(`Test accuracy (${summary.testImages} held-out images, evaluated once): ${percent(summary.testAccuracy ?? Number.NaN)}`);
        }
        const fe = summary.featureExtraction;
        if (fe) this.line(`Feature extraction (no network training, ${fe.layer} features): kNN ${percent(fe.knn.valAccuracy)}, logistic regression ${percent(fe.logistic.valAccuracy)} validation accuracy.`);
        if (event.status === 'completed') break;
        if (event.status === 'cancelled') this.line(`Cancelled. The last checkpoint is kept in ${event.runDir}; continue with --resume.`);
        else this.line(`Run ${event.status}: ${summary.message ?? ''}`);
        break;
      }
      default: {
        const unhandled: never = event;
        void unhandled;
      }
    }
  }

  private redraw(text: string): void {
    this.io.out(`\r\x1b[2K${text}`);
    this.lineOpen = true;
  }

  private closeLine(): void {
    if (this.lineOpen) this.io.out('\r\x1b[2K');
    this.lineOpen = false;
  }

  private line(text: string): void {
    this.closeLine();
    this.io.out(`${text}\n`);
  }
}

/** Class names for one line: at most MAX_NAMED, then how many more (1000 classes made a 7 KB line). */
const MAX_NAMED = 20;
function namesOf(classes: readonly string[]): string {
  return classes.length <= MAX_NAMED ? classes.join(', ') : `${classes.slice(0, MAX_NAMED).join(', ')} and ${classes.length - MAX_NAMED} more`;
}
