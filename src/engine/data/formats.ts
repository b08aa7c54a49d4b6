/** Which files count as images, judged by extension first (the list is in src/shared) and then by their first bytes. */
import { extname } from 'node:path';
import { hasImageExtension, IMAGE_EXTENSIONS, IMAGE_EXTENSIONS_TEXT } from '../../shared/imageExtensions';

export { hasImageExtension, IMAGE_EXTENSIONS, IMAGE_EXTENSIONS_TEXT };

/** Bytes needed by `sniffImageFormat`. */
export const SNIFF_BYTES = 12;

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

/** Image types people keep in photo folders that we do not read; they get a "convert it" message. */
const OTHER_IMAGE_EXTENSIONS: readonly string[] = ['.bmp', '.tif', '.tiff', '.heic', '.heif', '.avif', '.svg', '.ico', '.raw', '.cr2', '.nef', '.dng'];

/** Why a file is not used, judged by its extension alone. */
export function notImageReason(file: string): string {
  const ext = extname(file).toLowerCase();
  return OTHER_IMAGE_EXTENSIONS.includes(ext)
    ? `is a ${ext.slice(1)} image, which is not supported; convert it to png or jpg.`
    : `is not an image (supported: ${IMAGE_EXTENSIONS_TEXT}).`;
}

/** The format announced by a file's signature, or null when it is none we decode. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const starts = (bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return null;
}
