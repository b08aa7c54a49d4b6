/** Where a project's runs are, read from its finetune.json without loading the engine. */
import { promises as fs } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { runsFolderFor } from './layout';

/** The runs folder of `projectFile`; the default folder when the file is missing or unreadable (the engine then uses it too). */
export async function runsFolderOf(projectFile: string): Promise<string> {
  let config: unknown;
  try {
    config = parseJsonc(await fs.readFile(projectFile, 'utf8'));
  } catch {
    config = undefined;
  }
  return runsFolderFor(projectFile, config);
}
