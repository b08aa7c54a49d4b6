/**
 * The seam for export formats. A writer turns the run's adapted model into the files of one format;
 * the export around it (staging folder, labels.json, preprocessing.json, README, reload check) is the
 * same for all. Register a new writer in `./index.ts`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ExportFormatInfo } from '../../../shared/exportFormats';
import type { ModelFolder } from '../modelFolder';

export interface ExportInput {
  /** The run's adapted model folder (model.json, weight files, labels, preprocessing), checked. */
  readonly folder: ModelFolder;
  /** The same model, loaded; the writer reads its topology and weights and must not dispose it. */
  readonly model: tf.LayersModel;
}

/** How the README tells a person to load the files: a table of files and sections with snippets. */
export interface ExportUsage {
  /** `[file, what it is]` rows for the README's table, model files only. */
  readonly files: readonly (readonly [string, string])[];
  /** Markdown sections (each starting with `## `), e.g. Python and JS loading. */
  readonly sections: readonly string[];
}

export interface ExportWriter extends ExportFormatInfo {
  /** Writes the model files into `dir` (a new, private staging folder); returns their names relative to `dir`. */
  write(input: ExportInput, dir: string): Promise<string[]>;
  /** Loads the written files back as a LayersModel, for the check that it predicts like the trained model. */
  reload(dir: string): Promise<tf.LayersModel>;
  /** What the README says about these files (the shared part, classes and input, is written around it). */
  usage(): ExportUsage;
}
