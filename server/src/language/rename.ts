import type { Range } from 'vscode-languageserver';
import type { ProjectIndex } from '../core/projectIndex';
import type { Position } from '../core/text';
import { addEdit, type FileEdits, nameSpanOf, readNewCodeName, renameCodeEdits } from './edits';
import { documentOf, occurrencesOf, type Target, targetAt } from './locate';

export type Refusal = { error: string };

export interface RenameResult {
  edits: FileEdits;
  /** Set when the rename joins two codes into one: the user should be told and asked. */
  merge?: { from: string; into: string };
}

function renameTarget(project: ProjectIndex, uri: string, position: Position): Target | Refusal {
  const document = documentOf(project, uri);
  const target = document && targetAt(project, uri, document.lines.offsetAt(position));
  if (!target) return { error: 'Only a code (#name) or a theme heading can be renamed here.' };
  if (target.kind === 'code' && target.occurrence.name !== target.name) {
    return {
      error: `#${target.occurrence.raw} is an alias of #${target.name}: rename #${target.name}, or edit its aliases in the codebook.`,
    };
  }
  return target;
}

export function prepareRename(
  project: ProjectIndex,
  uri: string,
  position: Position,
): { range: Range; placeholder: string } | Refusal {
  const target = renameTarget(project, uri, position);
  if ('error' in target) return target;
  if (target.kind === 'theme') {
    return { range: target.lines.rangeOf(target.theme.nameSpan), placeholder: target.theme.name };
  }
  const { occurrence } = target;
  return { range: occurrence.lines.rangeOf(nameSpanOf(occurrence)), placeholder: occurrence.name };
}

/**
 * Renames a code in every transcript, the codebook and memos; renaming onto a code that exists merges
 * the two. Renames a theme heading when the cursor is on one.
 */
export function rename(
  project: ProjectIndex,
  uri: string,
  position: Position,
  newName: string,
): RenameResult | Refusal {
  const target = renameTarget(project, uri, position);
  if ('error' in target) return target;
  if (target.kind === 'theme') {
    const name = newName.trim();
    if (name === '' || /[\r\n]/.test(name)) return { error: 'A theme name must be one line of text.' };
    const edits: FileEdits = new Map();
    addEdit(edits, target.uri, target.lines, target.theme.nameSpan, name);
    return { edits };
  }
  return renameCode(project, target.name, newName);
}

export function renameCode(project: ProjectIndex, from: string, newName: string): RenameResult | Refusal {
  const parsed = readNewCodeName(newName);
  if ('error' in parsed) return parsed;
  const into = parsed.name;
  if (into === from) return { edits: new Map() };
  // Tags written with an alias count for its code: taking the alias as a name would move them silently.
  const aliasOf = project.codebook?.aliases.get(into);
  if (aliasOf !== undefined && aliasOf !== from) {
    return {
      error: `#${into} is an alias of #${aliasOf}: choose another name, or rename onto #${aliasOf} to merge.`,
    };
  }
  const merging = project.isKnownCode(into) || (project.totals().codes.get(into)?.segments ?? 0) > 0;
  const occurrences = occurrencesOf(project, from, { aliases: false });
  const edits = renameCodeEdits(
    occurrences,
    into,
    project.codebook,
    project.isKnownCode(into) && project.isKnownCode(from),
  );
  return merging ? { edits, merge: { from, into } } : { edits };
}
