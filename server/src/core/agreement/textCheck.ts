import type { Transcript } from '../transcript';
import { type StrippedText, toFileOffset } from './units';

/** Where two coders' copies of a transcript stop having the same text once tags are removed. */
export interface TextMismatch {
  /** The transcript's path relative to the project folder. */
  path: string;
  /** The two coders compared: the first coder that has the file, and one whose copy differs from it. */
  coders: [string, string];
  uris: [string, string];
  /** The first differing line in each copy, one-based (front matter may make them differ). */
  lines: [number, number];
  /** That line of each copy, tags removed. */
  texts: [string, string];
  /** A likely cause, when one is known: a tag that cannot be read stays in the text as written. */
  hint?: string;
}

export interface TextCopy {
  coder: string;
  transcript: Transcript;
  stripped: StrippedText;
}

/**
 * Compares the plain text (front matter excluded, tags removed, CRLF as LF, trailing white space at the
 * end ignored) of each copy with the first copy; returns the first difference of each copy that differs.
 */
export function findTextMismatches(path: string, copies: readonly TextCopy[]): TextMismatch[] {
  const [first, ...others] = copies;
  if (!first) return [];
  const mismatches: TextMismatch[] = [];
  const reference = first.stripped.text.trimEnd();
  for (const other of others) {
    const text = other.stripped.text.trimEnd();
    if (text === reference) continue;
    const at = firstDifference(reference, text);
    if (at === reference.length || at === text.length) {
      mismatches.push(endsEarly(path, first, reference, other, text, at));
      continue;
    }
    mismatches.push({
      path,
      coders: [first.coder, other.coder],
      uris: [first.transcript.uri, other.transcript.uri],
      lines: [lineOf(first, at), lineOf(other, at)],
      texts: [lineText(reference, at), lineText(text, at)],
      ...hintFor(first, other, at),
    });
  }
  return mismatches;
}

/** One copy is the other cut short: point at the first line the shorter one lacks. */
function endsEarly(
  path: string,
  first: TextCopy,
  reference: string,
  other: TextCopy,
  text: string,
  at: number,
): TextMismatch {
  const longer = reference.length > text.length ? reference : text;
  let start = at;
  while (start < longer.length && /\s/.test(longer.charAt(start))) start++;
  const shorter = longer === reference ? other : first;
  const shortLines = lineOf(shorter, at);
  const line = (copy: TextCopy) => (copy === shorter ? shortLines + 1 : lineOf(copy, start));
  const content = (copy: TextCopy) => (copy === shorter ? '' : lineText(longer, start));
  return {
    path,
    coders: [first.coder, other.coder],
    uris: [first.transcript.uri, other.transcript.uri],
    lines: [line(first), line(other)],
    texts: [content(first), content(other)],
    hint: `${shorter.coder}'s copy ends after line ${shortLines}`,
  };
}

function firstDifference(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i;
  return length;
}

/** One-based line in the copy's file of a plain-text offset. */
function lineOf(copy: TextCopy, plainOffset: number): number {
  return copy.transcript.lines.positionAt(toFileOffset(copy.stripped, plainOffset)).line + 1;
}

function lineText(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end === -1) end = text.length;
  return text.slice(start, end);
}

/** A tag that cannot be read is left in the text, so the copies differ there: say so. */
function hintFor(first: TextCopy, other: TextCopy, at: number): { hint?: string } {
  for (const copy of [other, first]) {
    const line = lineOf(copy, at) - 1;
    const problem = copy.transcript.problems.find(
      (p) => p.rule === 'malformed-tag' && copy.transcript.lines.positionAt(p.span.start).line === line,
    );
    if (problem) {
      return {
        hint: `${copy.coder} has a tag that cannot be read on line ${line + 1} (${problem.message}); run kodkarta check`,
      };
    }
  }
  return {};
}
