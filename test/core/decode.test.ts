import { describe, expect, it } from 'vitest';
import { decodeFile, MAX_FILE_BYTES } from '../../server/src/core/decode';

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, endian === 'le');
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), endian === 'le');
  return bytes;
}

/** Small bytes that claim to be `length` long, so the size limit can be tested without allocating it. */
function claimingLength(bytes: Uint8Array, length: number): Uint8Array {
  Object.defineProperty(bytes, 'length', { value: length });
  return bytes;
}

describe('decodeFile', () => {
  it('reads UTF-8', () => {
    expect(decodeFile(utf8('**R5:** [Förtroende]{#förtroende} 😀'))).toEqual({
      text: '**R5:** [Förtroende]{#förtroende} 😀',
    });
  });

  it('reads an empty file as empty text', () => {
    expect(decodeFile(new Uint8Array())).toEqual({ text: '' });
  });

  it('drops a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('# Intervju')]);
    expect(decodeFile(bytes)).toEqual({ text: '# Intervju' });
  });

  it('reads UTF-16 little endian with a BOM, dropping the BOM', () => {
    expect(decodeFile(utf16('åäö [a]{#b}', 'le'))).toEqual({ text: 'åäö [a]{#b}' });
  });

  it('reads UTF-16 big endian with a BOM, dropping the BOM', () => {
    expect(decodeFile(utf16('åäö 😀', 'be'))).toEqual({ text: 'åäö 😀' });
  });

  it('refuses a file with NUL bytes as binary', () => {
    const result = decodeFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    expect(result.text).toBeUndefined();
    expect(result.problem).toMatch(/binary/);
  });

  it('refuses UTF-16 without a BOM, whose ASCII characters carry NUL bytes', () => {
    const withoutBom = utf16('abc', 'le').subarray(2);
    expect(decodeFile(withoutBom).text).toBeUndefined();
  });

  it('reads invalid UTF-8 with U+FFFD in place of the bad bytes, and reports it', () => {
    const bytes = new Uint8Array([...utf8('hej '), 0xe5, ...utf8(' då')]);
    const result = decodeFile(bytes);
    expect(result.text).toBe('hej \uFFFD då');
    expect(result.problem).toMatch(/not valid UTF-8/);
  });

  it('refuses a file larger than the limit without reading it', () => {
    const result = decodeFile(claimingLength(utf8('hej'), MAX_FILE_BYTES + 1));
    expect(result.text).toBeUndefined();
    expect(result.problem).toMatch(/larger than 100 MB/);
  });

  it('reads a file of exactly the limit', () => {
    expect(decodeFile(claimingLength(utf8('hej'), MAX_FILE_BYTES))).toEqual({ text: 'hej' });
  });

  it('has a limit of 100 MB', () => {
    expect(MAX_FILE_BYTES).toBe(100 * 1024 * 1024);
  });
});
