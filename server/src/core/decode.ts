/** Files larger than this are not read: no interview transcript comes near it. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export type Decoded = { text: string; problem?: string } | { text: undefined; problem: string };

/**
 * Bytes of a Markdown file to text, the way an editor would open it: UTF-8 (a BOM is dropped),
 * UTF-16 when it starts with a UTF-16 BOM. Binary files are refused; bytes that are not UTF-8 become
 * U+FFFD and are reported, so the rest of the file still counts.
 */
export function decodeFile(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      text: undefined,
      problem: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB and was not read`,
    };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes) };
  if (bytes.indexOf(0) !== -1) {
    return { text: undefined, problem: 'binary file (it contains NUL bytes): not read as a transcript' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return {
      text: new TextDecoder('utf-8').decode(bytes),
      problem: 'file is not valid UTF-8: the bytes that are not were read as \uFFFD; save the file as UTF-8',
    };
  }
}
