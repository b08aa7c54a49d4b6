/** The run's evaluation file: one entry per finished phase, written by the engine after each phase. */
import type { Evaluation, EvaluationFile, PhaseEvaluation } from '../protocol/evaluation';
import { UserError } from '../shared/userError';
import { writeJsonAtomic } from './atomicFile';
import { isObject, readJsonFile } from './jsonFile';
import { runFile } from './layout';

/** Adds (or replaces) the evaluation of `phaseName`; returns the file path. */
export async function writeEvaluation(runDir: string, phaseName: string, evaluation: Evaluation): Promise<string> {
  const file = runFile(runDir, 'evaluation');
  const read = await readEvaluation(runDir);
  const existing = read?.phases ?? [];
  const entry: PhaseEvaluation = { phase: phaseName, ...evaluation };
  const index = existing.findIndex((p) => p.phase === phaseName);
  const phases = index < 0 ? [...existing, entry] : existing.map((p, i) => (i === index ? entry : p));
  const content: EvaluationFile = { phases, ...(read?.test ? { test: read.test } : {}) };
  await writeJsonAtomic(file, content);
  return file;
}

/** Sets the test-set evaluation (`test`, after the last phase `phaseName`), keeping the phases; returns the file path. */
export async function writeTestEvaluation(runDir: string, phaseName: string, evaluation: Evaluation): Promise<string> {
  const file = runFile(runDir, 'evaluation');
  const content: EvaluationFile = { phases: (await readEvaluation(runDir))?.phases ?? [], test: { phase: phaseName, ...evaluation } };
  await writeJsonAtomic(file, content);
  return file;
}

/** The run's evaluations, or null when the run has none yet; a damaged file is a UserError naming it. */
export async function readEvaluation(runDir: string): Promise<EvaluationFile | null> {
  const file = runFile(runDir, 'evaluation');
  const read = await readJsonFile(file);
  if (read.state === 'missing') return null;
  if (read.state === 'invalid') throw new UserError('is not valid JSON.', file, 'Delete it and evaluate the run again.');
  if (!isEvaluationFile(read.value)) {
    throw new UserError('does not have a "phases" list.', file, 'Delete it and evaluate the run again.', 'phases');
  }
  return read.value;
}

/** The entries of the evaluation file as written, unchecked; none when it is missing or damaged (for the panel). */
export async function readEvaluationEntries(runDir: string): Promise<unknown[]> {
  const read = await readJsonFile(runFile(runDir, 'evaluation'));
  const phases = read.state === 'ok' && isObject(read.value) ? read.value.phases : undefined;
  return Array.isArray(phases) ? phases : [];
}

function isEvaluationFile(value: unknown): value is EvaluationFile {
  if (!isObject(value)) return false;
  const phases = value.phases;
  return Array.isArray(phases) && phases.every((p) => isObject(p) && typeof p.phase === 'string');
}
