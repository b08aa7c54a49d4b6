/**
 * Entries of a data folder that the operating system or a file server makes, never images of a class:
 * hidden ones (`.DS_Store`, `.git`, macOS `._` copies), Windows' Thumbs.db and desktop.ini, a macOS zip's
 * `__MACOSX`, a Synology NAS's `@eaDir` thumbnail folders (JPEGs: they would train as images) and recycle
 * bins. One rule for the engine's scan, `inspect`'s class count and the New Project wizard.
 */
const SYSTEM_ENTRIES = new Set(['thumbs.db', 'ehthumbs.db', 'desktop.ini', '__macosx', '@eadir', '#recycle', '$recycle.bin', 'system volume information']);

/** True for a hidden or system entry, which is neither a class nor an image. */
export function isIgnoredEntry(name: string): boolean {
  return name.startsWith('.') || SYSTEM_ENTRIES.has(name.toLowerCase());
}
