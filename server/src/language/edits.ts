import type { TextEdit } from 'vscode-languageserver';
import type { Codebook, CodeEntry } from '../core/codebook';
import { codeNameProblem, normalizeCode } from '../core/codeNames';
import type { Tag } from '../core/scanner';
import type { LineIndex, Span } from '../core/text';
import type { Occurrence } from './locate';

/**
 * Edits Kodkarta makes to project files. Each one touches only tag syntax in transcripts (a code name, a
 * tag, a passage's brackets) and never a character of the transcript's own text.
 */

export type FileEdits = Map<string, TextEdit[]>;

export function addEdit(edits: FileEdits, uri: string, lines: LineIndex, span: Span, newText: string): void {
  const list = edits.get(uri) ?? [];
  edits.set(uri, list);
  list.push({ range: lines.rangeOf(span), newText });
}

/** A code name as the user typed it for a rename or merge: without `#`, in NFC; or why it cannot be one. */
export function readNewCodeName(input: string): { name: string } | { error: string } {
  const name = normalizeCode(input.trim().replace(/^#/, ''));
  const problem = codeNameProblem(name);
  return problem ? { error: problem } : { name };
}

/** The span of the name in `#name`, without the `#`. */
export function nameSpanOf(occurrence: { span: Span }): Span {
  return { start: occurrence.span.start + 1, end: occurrence.span.end };
}

/**
 * Renames or merges one code everywhere it is written. A tag that already holds the target code, or
 * would hold it twice, loses the duplicates instead (overlap markers keep them, so that each closing
 * marker still finds its opening one).
 */
export function renameCodeEdits(
  occurrences: readonly Occurrence[],
  into: string,
  codebook: Codebook | undefined,
  merging: boolean,
): FileEdits {
  const edits: FileEdits = new Map();
  const target = codebook?.codes.get(into)?.[0];
  const holdsTarget = new Set<Tag>();
  const removals = new Map<Tag, Occurrence[]>();
  for (const occurrence of occurrences) {
    const tag = occurrence.tag;
    if (occurrence.kind === 'entry' && merging && target && codebook) {
      const entry = codebook.codes
        .get(occurrence.name)
        ?.find((e) => e.nameSpan.start === occurrence.span.start);
      if (entry) mergeEntry(edits, codebook, entry, target);
      continue;
    }
    if (tag?.kind === 'span') {
      if (holdsTarget.has(tag) || tag.codes.some((code) => code.name === into)) {
        removals.set(tag, [...(removals.get(tag) ?? []), occurrence]);
        continue;
      }
      holdsTarget.add(tag);
    }
    addEdit(edits, occurrence.uri, occurrence.lines, nameSpanOf(occurrence), into);
  }
  for (const removed of removals.values()) {
    const first = removed[0];
    if (!first) continue;
    // Neighbouring codes may share the space between them: join their deletions into one edit.
    const spans = removed
      .map((o) => codeRemovalSpan(first.lines.text, o.span))
      .sort((a, b) => a.start - b.start);
    const joined: Span[] = [];
    for (const span of spans) {
      const last = joined[joined.length - 1];
      if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
      else joined.push({ ...span });
    }
    for (const span of joined) addEdit(edits, first.uri, first.lines, span, '');
  }
  return edits;
}

/**
 * Removes the merged code's list item and keeps its name and aliases as aliases of the code it was
 * merged into, so tags written with the old name still count.
 */
function mergeEntry(edits: FileEdits, codebook: Codebook, from: CodeEntry, into: CodeEntry): void {
  addEdit(edits, codebook.uri, codebook.lines, wholeLines(codebook.text, from.item), '');
  const added = [from.name, ...from.aliases].filter(
    (alias) => alias !== into.name && !into.aliases.includes(alias),
  );
  if (added.length === 0) return;
  const end = { start: into.paragraph.end, end: into.paragraph.end };
  const list = added.join(', ');
  addEdit(
    edits,
    codebook.uri,
    codebook.lines,
    end,
    into.aliases.length > 0 ? `, ${list}` : ` Aliases: ${list}`,
  );
}

/**
 * What to delete to take one code out of a tag without leaving a double space or `{ #b}`: the code and
 * the space before it, or, for the first code after the brace, the code and the space after it.
 */
export function codeRemovalSpan(text: string, span: Span): Span {
  const isSpace = (char: string) => char === ' ' || char === '\t';
  let start = span.start;
  while (start > 0 && isSpace(text.charAt(start - 1))) start--;
  if (start > 0 && text.charAt(start - 1) !== '{' && text.charAt(start - 1) !== '<')
    return { start, end: span.end };
  let end = span.end;
  while (end < text.length && isSpace(text.charAt(end))) end++;
  return { start: span.start, end };
}

/** The span widened to whole lines, line break included. */
export function wholeLines(text: string, span: Span): Span {
  const start = text.lastIndexOf('\n', span.start - 1) + 1;
  const newline = text.indexOf('\n', span.end);
  return { start, end: newline === -1 ? text.length : newline + 1 };
}

/** The line break a file uses, so that inserted lines match it. */
export function lineBreakOf(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text.charAt(newline - 1) === '\r' ? '\r\n' : '\n';
}
