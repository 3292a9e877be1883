import type { TextEdit } from 'vscode-languageserver';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import type { Position } from '../../server/src/core/text';

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
  return `${ROOT}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * An index of in-memory Markdown files keyed by path relative to `file:///project`. At most one file
 * may hold the cursor marker `$0`; its position is counted here, independently of the code under test.
 */
export function workspace(files: Record<string, string>): Workspace {
  const index = new ProjectIndex(ROOT);
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
  // The codebook first, so that its settings decide which files are transcripts from the start.
  const paths = Object.keys(clean).sort((a, b) => Number(b === 'codebook.md') - Number(a === 'codebook.md'));
  for (const path of paths) index.update(uriOf(path), clean[path] ?? '');
  return {
    index,
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
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return { line, character: offset - lineStart };
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
