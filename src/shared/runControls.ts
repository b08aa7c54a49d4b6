/**
 * Which run controls the training panel offers for the run it shows. Pure, shared by the webview
 * (which draws them) and the tests; the extension re-checks each action when it arrives.
 */
import type { RunStatus } from '../protocol/run';
import type { RunAction } from '../protocol/webview';

/** What the controls need to know about the shown run. */
export interface RunControlState {
  readonly status: RunStatus;
  /** True while this window's host streams the run's events (only then can Stop reach it). */
  readonly live: boolean;
  /** A checkpoint to continue from (a run that did not complete). */
  readonly resumable: boolean;
}

/** One button: the action it posts, its label, its codicon and whether it is the main one. */
export interface RunControl {
  readonly action: RunAction;
  readonly label: string;
  readonly icon: string;
  readonly primary: boolean;
}

const CONTROLS: Record<RunAction, Omit<RunControl, 'primary'>> = {
  start: { action: 'start', label: 'Start Training', icon: 'play' },
  stop: { action: 'stop', label: 'Stop', icon: 'debug-stop' },
  resume: { action: 'resume', label: 'Resume', icon: 'debug-continue' },
  export: { action: 'export', label: 'Export Model', icon: 'package' },
  openConfig: { action: 'openConfig', label: 'Open finetune.json', icon: 'go-to-file' },
};

function control(action: RunAction, primary = false): RunControl {
  return { ...CONTROLS[action], primary };
}

/**
 * The buttons for a run, main one first; null (no run yet) is the single call to action. A run that
 * says running but is not live (another process's, or one whose host vanished) offers no Stop: it
 * cannot be reached from here.
 */
export function runControls(run: RunControlState | null): RunControl[] {
  if (!run) return [control('start', true)];
  const config = control('openConfig');
  switch (run.status) {
    case 'running':
      return run.live ? [control('stop', true), config] : [config];
    case 'completed':
      return [control('export', true), control('start'), config];
    case 'cancelled':
    case 'interrupted':
    case 'failed':
      return run.resumable ? [control('resume', true), control('start'), config] : [control('start', true), config];
    default: {
      const unknown: never = run.status;
      void unknown;
      return [control('start', true), config];
    }
  }
}
