/**
 * Why an image the scan found cannot be read now, told the user's way: it was deleted or moved since
 * (a sync client, a cleanup script, another program), its permissions forbid reading, or the drive
 * failed (a network share that dropped). One wording for the header check, the decoder and the data hash.
 */
import { constants, promises as fs } from 'node:fs';

/** The reason for an OS error code on an image file; null when the code says nothing the user can act on. */
export function unreadableReason(code: string | undefined): string | null {
  switch (code) {
    case 'ENOENT':
      return 'was deleted or moved after the data folder was read; it is left out.';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied); it is left out. Give your user read access to it (chmod u+r, or its Security tab on Windows).';
    case 'EIO':
    case 'ETIMEDOUT':
    case 'ESTALE':
      return `could not be read (${code}: a disk or network-drive error); it is left out. Check the drive, then train again.`;
    default:
      return null;
  }
}

/** The reason a decode failed: the file's state now if it cannot be read, else the decoder's message (`detail`). */
export async function decodeFailureReason(file: string, detail: string): Promise<string> {
  const code = await fs.access(file, constants.R_OK).then(
    () => undefined,
    (accessError: NodeJS.ErrnoException) => accessError.code,
  );
  return unreadableReason(code) ?? `could not be decoded (${detail}); it is left out.`;
}
