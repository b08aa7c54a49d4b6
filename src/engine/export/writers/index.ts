/**
 * The export writers, one per format, by id (`finetune-guide export --format <id>`). A new format is a
 * file in this folder implementing ExportWriter, plus one line in BUILT_IN below (and its description in
 * src/shared/exportFormats.ts for VS Code's picker); registerExportWriter adds one at run time.
 */
import { UserError } from '../../../shared/userError';
import type { ExportWriter } from './exportWriter';
import { h5Writer } from './h5';
import { kerasWriter } from './keras';
import { tfjsWriter } from './tfjs';

const BUILT_IN: readonly ExportWriter[] = [tfjsWriter, kerasWriter, h5Writer];

const writers = new Map<string, ExportWriter>(BUILT_IN.map((writer) => [writer.id, writer]));

/** Adds (or replaces) the writer for `writer.id`. */
export function registerExportWriter(writer: ExportWriter): void {
  writers.set(writer.id, writer);
}

/** Every format id, built-in first. */
export function exportFormatIds(): string[] {
  return [...writers.keys()];
}

export function exportWriters(): ExportWriter[] {
  return [...writers.values()];
}

/** The writer for `id`; an unknown id is a UserError naming `where` and `field` (e.g. `--format`) and the choices. */
export function exportWriter(id: string, where = 'export request', field = 'format'): ExportWriter {
  const writer = writers.get(id);
  if (!writer) {
    throw new UserError(`${JSON.stringify(id)} is not an export format.`, where, `Use one of: ${exportFormatIds().join(', ')}.`, field);
  }
  return writer;
}

export type { ExportInput, ExportUsage, ExportWriter } from './exportWriter';
