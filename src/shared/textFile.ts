/**
 * A small JSON or text file as a person may have saved it: UTF-8 with or without a byte-order mark (Windows
 * Notepad's "UTF-8 with BOM"), or UTF-16 with its mark (PowerShell 5's `Out-File`, Notepad's "Unicode").
 * Line ends (CRLF) need nothing: JSON reads them as whitespace.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
