/**
 * Walks an image folder: class names are the sorted (NFC-normalised) names of its sub-folders; images
 * are found at any depth below a class folder. Links are followed, but a link back to a folder being
 * walked (a loop) stops with a UserError instead of recursing forever. Hidden and system entries
 * (`.DS_Store`, `.git`, Thumbs.db, `__MACOSX`, `@eaDir`: src/shared/ignoredEntries.ts) are ignored.
 */
import { promises as fs, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../../shared/userError';
import type { SkippedFile } from '../../protocol/run';
import { hasImageExtension, notImageReason } from './formats';
import { isIgnoredEntry } from '../../shared/ignoredEntries';

export interface ScannedFile {
  readonly file: string;
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ScannedClass {
  readonly name: string;
  readonly folder: string;
  readonly files: ScannedFile[];
}

export interface ScanResult {
  readonly folder: string;
  readonly classes: ScannedClass[];
  readonly skipped: SkippedFile[];
}

const LAYOUT_FIX = 'Put the images in one sub-folder per class, e.g. data/cat/1.jpg and data/dog/1.jpg.';

/** Compares by UTF-16 code units: the same order on every machine and locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/**
 * stat() that follows links; a link cycle that the OS reports (ELOOP) becomes a UserError, and so does a
 * folder whose entries may be listed but not looked up (read without execute permission: EACCES).
 */
async function statFollowing(path: string): Promise<Stats | null> {
  try {
    return await fs.stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') {
      throw new UserError('is a symbolic link that loops back on itself.', path, 'Remove the link or point it at a real folder.');
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserError(`cannot be read (permission denied on ${basename(path)}).`, dirname(path), 'Give your user read and execute (search) access to the folder: chmod u+rx, or its Security tab on Windows.');
    }
    if (code === 'ENOENT') return null; // a dangling link, or deleted since it was listed: the caller skips it
    throw error;
  }
}

async function readFolder(folder: string) {
  try {
    return await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserError('cannot be read (permission denied).', folder, 'Give your user read access to the folder: chmod u+rx, or its Security tab on Windows.');
    }
    throw error;
  }
}

/** Walks one class folder; `ancestors` holds the real paths of the folders above, to spot loops. */
async function walkClass(
  folder: string,
  dataRoot: string,
  ancestors: readonly string[],
  seen: Set<string>,
  out: { files: ScannedFile[]; skipped: SkippedFile[] },
): Promise<void> {
  const real = await fs.realpath(folder);
  if (ancestors.includes(real)) {
    throw new UserError(
      `is a symbolic link to ${real}, a folder that contains it: following it would loop forever.`,
      folder,
      'Remove the link or point it at a folder outside the data folder.',
    );
  }
  if (seen.has(real)) {
    out.skipped.push({ file: folder, reason: `links to ${real}, which is already used; its images are counted once.` });
    return;
  }
  seen.add(real);
  const entries = (await readFolder(folder)).filter((e) => !isIgnoredEntry(e.name)).sort((a, b) => byCodeUnits(a.name, b.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const stats = await statFollowing(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENAMETOOLONG') return 'too long' as const; // deep nesting on Linux (4096), a Windows share (260)
      throw error;
    });
    if (stats === 'too long') {
      out.skipped.push({ file: path, reason: `has a path of ${path.length} characters, longer than this system allows; it is left out. Move it or shorten the folder names above it.` });
    } else if (!stats) {
      out.skipped.push({ file: path, reason: entry.isSymbolicLink() ? 'is a broken link (its target does not exist).' : 'was deleted or moved while the data folder was read.' });
    } else if (stats.isDirectory()) {
      await walkClass(path, dataRoot, [...ancestors, real], seen, out);
    } else if (!stats.isFile()) {
      out.skipped.push({ file: path, reason: 'is not a regular file.' });
    } else if (!hasImageExtension(entry.name)) {
      out.skipped.push({ file: path, reason: notImageReason(entry.name) });
    } else {
      // NFC: macOS may store names decomposed; the same folder must give the same ids, split and labels everywhere.
      const relPath = relative(dataRoot, path).split(sep).join('/').normalize('NFC');
      out.files.push({ file: path, relPath, size: stats.size, mtimeMs: stats.mtimeMs });
    }
  }
}

/**
 * Two class folders whose names differ only in Unicode normalisation (café NFC and NFD: they print the
 * same), only in letter case (`Cat` and `cat`: one folder on Windows' and macOS' file systems, so the
 * project cannot be copied there) or only in trailing spaces or dots (`cat ` and `cat`, one on Windows)
 * are refused, naming both.
 */
function refuseLookAlikeClassNames(classFolders: readonly string[], folder: string): void {
  const byKey = new Map<string, string>();
  for (const entryName of classFolders) {
    // Windows also drops trailing spaces and dots from names: `cat ` is `cat` there.
    const key = entryName.normalize('NFC').toLowerCase().replace(/[ .]+$/, '');
    const other = byKey.get(key);
    if (other !== undefined) {
      const names = `${JSON.stringify(other)} and ${JSON.stringify(entryName)}`;
      const how = other.normalize('NFC') === entryName.normalize('NFC')
        ? `differ only in Unicode normalisation: ${names} (they print the same)`
        : other.normalize('NFC').toLowerCase() === entryName.normalize('NFC').toLowerCase()
          ? `differ only in letter case: ${names} (on Windows and macOS they are one folder)`
          : `differ only in trailing spaces or dots: ${names} (Windows drops them, so there they are one folder)`;
      throw new UserError(`has two class folders whose names ${how}.`, folder, 'Merge them into one folder, or rename one of them.');
    }
    byKey.set(key, entryName);
  }
}

/** Finds the classes and candidate image files; throws UserError when the layout is unusable. */
export async function scanImageFolder(folderOption: string): Promise<ScanResult> {
  const folder = resolve(folderOption);
  const stats = await statFollowing(folder);
  if (!stats) {
    throw new UserError('data folder not found.', folder, `Create it (${LAYOUT_FIX}) or fix data.folder in finetune.json.`);
  }
  if (!stats.isDirectory()) {
    throw new UserError('is not a folder.', folder, `Set data.folder in finetune.json to a folder. ${LAYOUT_FIX}`);
  }
  const root = await fs.realpath(folder);
  const entries = (await readFolder(folder)).filter((e) => !isIgnoredEntry(e.name)).sort((a, b) => byCodeUnits(a.name, b.name));
  const classFolders: string[] = [];
  const looseFiles: string[] = [];
  const brokenLinks: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const entryStats = await statFollowing(path);
    if (entryStats?.isDirectory()) classFolders.push(entry.name);
    else if (entryStats?.isFile() && hasImageExtension(entry.name)) looseFiles.push(path);
    else if (!entryStats && entry.isSymbolicLink()) brokenLinks.push(path);
  }
  const loose = looseFiles.length;
  // A class folder linked from a drive that is not mounted: its class must not vanish without a word.
  const broken = brokenLinks.length > 0 ? ` Left out: ${brokenLinks.map((l) => basename(l)).join(', ')} (a link whose target does not exist).` : '';
  if (classFolders.length === 0) {
    const found = loose > 0 ? ` It holds ${loose} image(s) directly, but classes come from sub-folder names.` : '';
    throw new UserError(`has no class sub-folders.${found}${broken}`, folder, LAYOUT_FIX);
  }
  if (classFolders.length === 1) {
    throw new UserError(
      `has only one class sub-folder (${classFolders[0]}); a classifier needs at least two.${broken}`,
      folder,
      'Add a sub-folder with images of another class.',
    );
  }
  refuseLookAlikeClassNames(classFolders, folder);
  const seen = new Set<string>();
  // Images beside the class folders belong to no class: reported as skipped, never silently ignored.
  const skipped: SkippedFile[] = [
    ...looseFiles.map((file) => ({ file, reason: 'lies beside the class folders, so it has no class; move it into its class sub-folder.' })),
    ...brokenLinks.map((file) => ({ file, reason: 'is a broken link (its target does not exist: a drive not mounted?), so the class it would be is left out.' })),
  ];
  const classes: ScannedClass[] = [];
  classFolders.sort((a, b) => byCodeUnits(a.normalize('NFC'), b.normalize('NFC')));
  for (const entryName of classFolders) {
    const name = entryName.normalize('NFC');
    const classFolder = join(folder, entryName);
    const out = { files: [] as ScannedFile[], skipped };
    await walkClass(classFolder, folder, [root], seen, out);
    classes.push({ name, folder: classFolder, files: out.files });
  }
  return { folder, classes, skipped };
}
