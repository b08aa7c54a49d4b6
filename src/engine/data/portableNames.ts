/**
 * Class folder names that work here but cannot exist on Windows: reserved device names (CON, NUL, AUX,
 * COM1...), the characters < > : " | ? * \ and control characters, a trailing space or dot. A project
 * with them cannot be copied to (or trained on) Windows, and the exported labels would not match a folder
 * there; said once as a warning, since the run itself is fine. The same for image files and folders below
 * the class folders (one warning, a few named), and for an export's destination.
 */
import * as path from 'node:path';

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const FORBIDDEN = /[<>:"|?*\\\u0000-\u001f]/;

/** Why `name` cannot be a folder name on Windows, or null when it can. */
export function windowsNameProblem(name: string): string | null {
  if (RESERVED.test(name)) return `${name.split('.')[0].toUpperCase()} is a reserved device name there`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `it holds ${JSON.stringify(bad[0])}, which Windows does not allow in names`;
  if (/[ .]$/.test(name)) return 'Windows drops a trailing space or dot';
  return null;
}

/** One warning per class folder name that cannot exist on Windows. */
export function nonPortableClassWarnings(classes: readonly string[]): string[] {
  return classes.flatMap((name) => {
    const problem = windowsNameProblem(name);
    return problem ? [`Class folder ${JSON.stringify(name)} cannot be made on Windows (${problem}), so this project cannot be copied or trained there as it is. Rename the folder if the project should travel.`] : [];
  });
}

const MAX_NAMED = 5;

/**
 * One warning for the images (or the folders below a class folder) of `files` whose names cannot exist on
 * Windows: a copy of the data folder there loses or refuses them. `dataDir` is where the class folders are.
 */
export function nonPortableImageWarnings(files: readonly string[], dataDir: string): string[] {
  const named: string[] = [];
  let count = 0;
  for (const file of files) {
    // Below the class folder: the class folder itself is warned about on its own.
    const relative = path.relative(dataDir, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const segments = relative.split(path.sep).slice(1);
    const problem = segments.map((segment) => ({ segment, problem: windowsNameProblem(segment) })).find((s) => s.problem);
    if (!problem) continue;
    count += 1;
    if (named.length < MAX_NAMED) named.push(`${file} (${JSON.stringify(problem.segment)}: ${problem.problem})`);
  }
  if (count === 0) return [];
  const more = count > named.length ? `, and ${count - named.length} more` : '';
  return [`${count} image${count === 1 ? '' : 's'} cannot be copied to Windows as named: ${named.join('; ')}${more}. They train here; rename them if the data folder should travel.`];
}

/** Why an export into `dest` would not work on Windows (its last name), or null. */
export function nonPortableDestination(dest: string): string | null {
  const problem = windowsNameProblem(path.basename(dest));
  return problem ? `the folder name ${JSON.stringify(path.basename(dest))} cannot be made on Windows (${problem})` : null;
}
