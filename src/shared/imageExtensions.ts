/**
 * The one list of image extensions (the files sharp decodes for the engine): data scanning, Classify
 * Image, prediction messages and (checked by a test) package.json's menu `when` clause use it.
 */

/** Lower case, with the dot. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.gif'];

/** Human-readable list for messages: "jpg, jpeg, png, webp, gif". */
export const IMAGE_EXTENSIONS_TEXT = IMAGE_EXTENSIONS.map((ext) => ext.slice(1)).join(', ');

/** The extension of a path's last segment, lower case (as `path.extname`: none for `.png` alone). */
export function lowerExtension(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

export function hasImageExtension(file: string): boolean {
  return IMAGE_EXTENSIONS.includes(lowerExtension(file));
}
