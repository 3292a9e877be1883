import type { TextEdit } from 'vscode-languageserver';
import type { ProjectIndex } from '../../server/src/core/projectIndex';
import type { Position } from '../../server/src/core/text';
import { indexFiles, uriIn } from './project';

export const ROOT = 'file:///project';

/** Marks the cursor in one fixture file; removed before the file is indexed. */
export const CURSOR = '$0';

export interface Workspace {
  index: ProjectIndex;
  /** The text of every file as indexed (cursor marker removed), by relative path. */
  files: Record<string, string>;
  uri(path: string): string;
  /** Where the `$0` marker was; throws when no file had one. */
  cursor: { uri: string; path: string; position: Position };
}

/** The URI of a path relative to the project folder, each segment percent-encoded as VS Code does. */
export function uriOf(path: string): string {
  return uriIn(ROOT, path);
}

/**
 * An index of in-memory Markdown files keyed by path relative to `file:///project`. At most one file
 * may hold the cursor marker `$0`; its position is counted here, independently of the code under test.
 */
export function workspace(files: Record<string, string>): Workspace {
  const clean: Record<string, string> = {};
  let found: { uri: string; path: string; position: Position } | undefined;
  for (const [path, raw] of Object.entries(files)) {
    const at = raw.indexOf(CURSOR);
    if (at !== -1) {
      if (found || raw.indexOf(CURSOR, at + 1) !== -1)
        throw new Error('only one $0 cursor marker is allowed');
      found = { uri: uriOf(path), path, position: positionAt(raw, at) };
    }
    clean[path] = at === -1 ? raw : raw.slice(0, at) + raw.slice(at + CURSOR.length);
  }
  return {
    index: indexFiles(clean, ROOT),
    files: clean,
    uri: uriOf,
    get cursor() {
      if (!found) throw new Error('no file has a $0 cursor marker');
      return found;
    },
  };
}

/** Zero-based line and UTF-16 character of an offset; a "\r" before "\n" stays part of the line break. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: Position): number {
  let start = 0;
  for (let line = 0; line < position.line; line++) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) throw new Error(`line ${position.line} is past the end of the text`);
    start = newline + 1;
  }
  const newline = text.indexOf('\n', start);
  const lineEnd = newline === -1 ? text.length : text.charAt(newline - 1) === '\r' ? newline - 1 : newline;
  if (start + position.character > lineEnd) {
    throw new Error(`character ${position.character} is past the end of line ${position.line}`);
  }
  return start + position.character;
}

/**
 * Applies LSP edits to a text as a client does: against the original text, last first, inserts at one
 * position in array order. Overlapping edits are an error, as they are for a client.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const resolved = edits
    .map((edit, order) => ({
      start: offsetAt(text, edit.range.start),
      end: offsetAt(text, edit.range.end),
      newText: edit.newText,
      order,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  for (let i = 1; i < resolved.length; i++) {
    const previous = resolved[i - 1];
    const current = resolved[i];
    if (previous && current && current.start < previous.end) throw new Error('overlapping edits');
  }
  let out = text;
  for (const edit of resolved.reverse()) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** Lines joined with "\n", for readable fixtures. */
export function lines(...parts: string[]): string {
  return parts.join('\n');
}

/**
 * A codebook whose themes and codes have definitions: theme 1 Gemensamt (its definition mentions
 * #förtroende) with subtheme 1.1 Kontraktet (#kontrakt, alias #plattform; #ramar), and theme 2 Skillnader
 * (#förtroende; #kontroll). Transcripts are the files in intervjuer/.
 */
export const codebookWithDefinitions = lines(
  '---',
  'title: Alliansen',
  'transcripts: intervjuer/*.md',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  'Det som är lika i båda relationerna, se #förtroende.',
  '',
  '## 1.1 Kontraktet',
  '',
  'Överenskommelser om tid och plats.',
  '',
  '- #kontrakt: Uttalade överenskommelser om tid och plats. Aliases: plattform',
  '- #ramar: Ramen som håller relationen.',
  '',
  '# 2 Skillnader',
  '',
  '- #förtroende: Tillit till den andra parten.',
  '- #kontroll: Att styra samtalet.',
  '',
);

/**
 * A codebook to count with, short on words: theme 1 Gemensamt with subtheme 1.1 Kontraktet (#kontrakt,
 * alias #plattform; #ramar), and theme 2 Skillnader (#förtroende). Transcripts are the files in
 * intervjuer/, and a theme needs two participants.
 */
export const codebookForCounts = lines(
  '---',
  'title: Alliansen i terapi',
  'min_participants: 2',
  'transcripts: intervjuer/*.md',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Tid och plats. Aliases: plattform',
  '- #ramar: Ramen.',
  '',
  '# 2 Skillnader',
  '',
  '- #förtroende: Tillit.',
  '',
);
