/** `<runs folder>/lr-find/phase-<n>/lr-find.json`: one learning-rate sweep, as the CLI wrote it. */
export interface LrFindFile {
  /** 1-based, as `--phase` and the panel number phases. */
  readonly phase: number;
  readonly phaseName: string;
  /** The rate of each step (the head's, with discriminative rates), exponential from the first. */
  readonly rates: readonly number[];
  /** The training loss of each step's batch. */
  readonly losses: readonly number[];
  /** The exponential moving average of the losses (beta 0.98, bias-corrected). */
  readonly smoothedLosses: readonly number[];
  /** The valley rule's rate, or null when the sweep had too few steps to choose. */
  readonly suggestion: number | null;
  /** `divergence`: the smoothed loss passed 4x its best (or was not finite); `steps`: every step ran. */
  readonly stoppedBy: 'divergence' | 'steps';
  readonly startRate: number;
  readonly endRate: number;
  readonly batchSize: number;
  readonly backend: string;
  /** Whether the frozen prefix's activations were cached. */
  readonly cacheUsed: boolean;
  /** The chart's file name beside this file. */
  readonly chart: string;
  readonly createdAt: string;
}
