import type { Position, Range } from '../../server/src/core/text';
import { positionAt } from './workspace';

/**
 * The range of `needle` in `text`, counted independently of the code under test: zero-based lines,
 * characters in UTF-16 code units. With `within`, the needle is looked for inside the first `within`.
 */
export function locate(text: string, needle: string, within?: string): Range {
  const base = within === undefined ? 0 : text.indexOf(within);
  if (base === -1) throw new Error(`"${within}" is not in the text`);
  const start = text.indexOf(needle, base);
  if (start === -1 || (within !== undefined && start + needle.length > base + within.length)) {
    throw new Error(`"${needle}" is not in the text${within === undefined ? '' : ` within "${within}"`}`);
  }
  return { start: positionAt(text, start), end: positionAt(text, start + needle.length) };
}

/**
 * A cursor one character into `needle` (inside `within`): on the needle whichever way the code under test
 * rounds a position at its edge.
 */
export function cursorOn(text: string, needle: string, within?: string): Position {
  const { start } = locate(text, needle, within);
  return { line: start.line, character: start.character + 1 };
}
