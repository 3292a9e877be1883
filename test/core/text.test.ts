import { describe, expect, it } from 'vitest';
import { codePointCount, contains, intersects, LineIndex } from '../../server/src/core/text';

describe('LineIndex with LF line breaks', () => {
  const index = new LineIndex('ab\ncde\n\nf');

  it('counts every line, including empty ones', () => {
    expect(index.lineCount).toBe(4);
  });

  it('maps offsets to zero-based line and character', () => {
    expect(index.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(index.positionAt(2)).toEqual({ line: 0, character: 2 });
    expect(index.positionAt(3)).toEqual({ line: 1, character: 0 });
    expect(index.positionAt(5)).toEqual({ line: 1, character: 2 });
    expect(index.positionAt(7)).toEqual({ line: 2, character: 0 });
    expect(index.positionAt(8)).toEqual({ line: 3, character: 0 });
    expect(index.positionAt(9)).toEqual({ line: 3, character: 1 });
  });

  it('maps positions back to offsets', () => {
    expect(index.offsetAt({ line: 0, character: 1 })).toBe(1);
    expect(index.offsetAt({ line: 1, character: 3 })).toBe(6);
    expect(index.offsetAt({ line: 2, character: 0 })).toBe(7);
    expect(index.offsetAt({ line: 3, character: 1 })).toBe(9);
  });

  it('gives each line its start and the end of its content', () => {
    expect([0, 1, 2, 3].map((line) => [index.lineStart(line), index.lineEnd(line)])).toEqual([
      [0, 2],
      [3, 6],
      [7, 7],
      [8, 9],
    ]);
  });

  it('turns a span into a range', () => {
    expect(index.rangeOf({ start: 1, end: 5 })).toEqual({
      start: { line: 0, character: 1 },
      end: { line: 1, character: 2 },
    });
  });
});

describe('LineIndex with CRLF line breaks', () => {
  const text = 'ab\r\ncde\r\nf';
  const index = new LineIndex(text);

  it('gives the same lines and characters as the LF text', () => {
    const lf = new LineIndex('ab\ncde\nf');
    expect(index.lineCount).toBe(lf.lineCount);
    expect(index.positionAt(text.indexOf('d'))).toEqual(lf.positionAt('ab\ncde\nf'.indexOf('d')));
    expect(index.positionAt(text.indexOf('f'))).toEqual({ line: 2, character: 0 });
  });

  it('treats the \\r as part of the line break, not of the line', () => {
    expect(index.lineEnd(0)).toBe(2);
    expect(index.lineEnd(1)).toBe(7);
    expect(index.positionAt(2)).toEqual({ line: 0, character: 2 });
    // The "\n" of a CRLF lies inside the line break: it maps to the end of the line's content.
    expect(index.positionAt(3)).toEqual({ line: 0, character: 2 });
  });

  it('clamps a character past the end of a line to before its line break', () => {
    expect(index.offsetAt({ line: 0, character: 99 })).toBe(2);
    expect(index.offsetAt({ line: 1, character: 3 })).toBe(7);
  });
});

describe('LineIndex edge cases', () => {
  it('has one empty line for empty text', () => {
    const index = new LineIndex('');
    expect(index.lineCount).toBe(1);
    expect(index.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(index.offsetAt({ line: 0, character: 5 })).toBe(0);
    expect(index.offsetAt({ line: 3, character: 0 })).toBe(0);
  });

  it('gives a trailing newline its own empty last line', () => {
    const index = new LineIndex('ab\n');
    expect(index.lineCount).toBe(2);
    expect(index.positionAt(3)).toEqual({ line: 1, character: 0 });
    expect(index.offsetAt({ line: 1, character: 0 })).toBe(3);
    expect(index.lineEnd(1)).toBe(3);
  });

  it('gives a trailing CRLF its own empty last line', () => {
    const index = new LineIndex('ab\r\n');
    expect(index.lineCount).toBe(2);
    expect(index.positionAt(4)).toEqual({ line: 1, character: 0 });
    expect(index.lineEnd(0)).toBe(2);
  });

  it('clamps offsets outside the text', () => {
    const index = new LineIndex('ab\ncd');
    expect(index.positionAt(-5)).toEqual({ line: 0, character: 0 });
    expect(index.positionAt(100)).toEqual({ line: 1, character: 2 });
    expect(index.rangeOf({ start: -1, end: 99 })).toEqual({
      start: { line: 0, character: 0 },
      end: { line: 1, character: 2 },
    });
  });

  it('clamps positions outside the text', () => {
    const index = new LineIndex('ab\ncd');
    expect(index.offsetAt({ line: -1, character: 1 })).toBe(0);
    expect(index.offsetAt({ line: 7, character: 0 })).toBe(5);
    expect(index.offsetAt({ line: 1, character: -4 })).toBe(3);
    expect(index.lineStart(9)).toBe(3);
    expect(index.lineStart(-2)).toBe(0);
  });

  it('counts characters in UTF-16 code units, so an emoji takes two', () => {
    const index = new LineIndex('😀a\nb');
    expect(index.positionAt(2)).toEqual({ line: 0, character: 2 });
    expect(index.offsetAt({ line: 0, character: 3 })).toBe(3);
  });
});

describe('span helpers', () => {
  it('contains includes both ends of the span', () => {
    expect(contains({ start: 2, end: 4 }, 2)).toBe(true);
    expect(contains({ start: 2, end: 4 }, 4)).toBe(true);
    expect(contains({ start: 2, end: 4 }, 5)).toBe(false);
    expect(contains({ start: 2, end: 4 }, 1)).toBe(false);
  });

  it('intersects needs shared text, not just a shared boundary', () => {
    expect(intersects({ start: 0, end: 3 }, { start: 2, end: 5 })).toBe(true);
    expect(intersects({ start: 0, end: 3 }, { start: 3, end: 5 })).toBe(false);
    expect(intersects({ start: 1, end: 4 }, { start: 2, end: 3 })).toBe(true);
  });

  it('codePointCount counts an emoji once and a lone surrogate once', () => {
    expect(codePointCount('a😀b')).toBe(3);
    expect(codePointCount('a😀b', 1, 3)).toBe(1);
    expect(codePointCount('\ud83d')).toBe(1);
    expect(codePointCount('\ud83dx')).toBe(2);
    expect(codePointCount('å', 0, 0)).toBe(0);
  });
});
