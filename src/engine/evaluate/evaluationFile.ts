/** Reading and writing `<runDir>/evaluation.json`, one entry per phase. */
import * as path from 'node:path';
import type { Evaluation, EvaluationFile, PhaseEvaluation } from '../../protocol/evaluation';
import { UserError } from '../../shared/userError';
import { readTextIfExists, writeFileAtomic } from '../../runs/atomicFile';

export const EVALUATION_FILE = 'evaluation.json';

/** Adds (or replaces) the evaluation of `phaseName` in `<runDir>/evaluation.json`; returns the file path. */
export async function writeEvaluation(runDir: string, phaseName: string, evaluation: Evaluation): Promise<string> {
  const file = path.join(runDir, EVALUATION_FILE);
  const existing = (await readEvaluation(runDir))?.phases ?? [];
  const entry: PhaseEvaluation = { phase: phaseName, ...evaluation };
  const index = existing.findIndex((p) => p.phase === phaseName);
  const phases = index < 0 ? [...existing, entry] : existing.map((p, i) => (i === index ? entry : p));
  const content: EvaluationFile = { phases };
  await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

/** The run's evaluation.json, or null when the run has none yet. */
export async function readEvaluation(runDir: string): Promise<EvaluationFile | null> {
  const file = path.join(runDir, EVALUATION_FILE);
  const text = await readTextIfExists(file);
  if (text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError('is not valid JSON.', file, 'Delete it and evaluate the run again.');
  }
  if (!isEvaluationFile(parsed)) {
    throw new UserError('does not have a "phases" list.', file, 'Delete it and evaluate the run again.', 'phases');
  }
  return parsed;
}

function isEvaluationFile(value: unknown): value is EvaluationFile {
  if (typeof value !== 'object' || value === null) return false;
  const phases = (value as { phases?: unknown }).phases;
  return Array.isArray(phases) && phases.every((p) => typeof p === 'object' && p !== null && typeof p.phase === 'string');
}
