import { type DocumentHighlight, DocumentHighlightKind, type Location } from 'vscode-languageserver';
import type { ProjectIndex } from '../core/projectIndex';
import type { Position } from '../core/text';
import { documentOf, type Occurrence, occurrencesOf, targetAt } from './locate';

function toLocation(occurrence: Occurrence): Location {
  return { uri: occurrence.uri, range: occurrence.lines.rangeOf(occurrence.span) };
}

/** From a code anywhere to its codebook entry (or entries, when it is listed twice). */
export function definition(project: ProjectIndex, uri: string, position: Position): Location[] {
  const document = documentOf(project, uri);
  const target = document && targetAt(project, uri, document.lines.offsetAt(position));
  if (target?.kind !== 'code') return [];
  return occurrencesOf(project, target.name, { aliases: false })
    .filter((o) => o.kind === 'entry')
    .map(toLocation);
}

/** Every coded segment with the code (aliases included), its codebook entry, and mentions in memos. */
export function references(
  project: ProjectIndex,
  uri: string,
  position: Position,
  includeDeclaration: boolean,
): Location[] {
  const document = documentOf(project, uri);
  const target = document && targetAt(project, uri, document.lines.offsetAt(position));
  if (target?.kind !== 'code') return [];
  return occurrencesOf(project, target.name, { aliases: true })
    .filter((o) => includeDeclaration || o.kind !== 'entry')
    .map(toLocation);
}

/** The other places of the same code in this document; the codebook entry counts as a write. */
export function documentHighlights(
  project: ProjectIndex,
  uri: string,
  position: Position,
): DocumentHighlight[] {
  const document = documentOf(project, uri);
  const target = document && targetAt(project, uri, document.lines.offsetAt(position));
  if (target?.kind !== 'code') return [];
  return occurrencesOf(project, target.name, { aliases: true })
    .filter((o) => o.uri === uri)
    .map((o) => ({
      range: o.lines.rangeOf(o.span),
      kind: o.kind === 'entry' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
}
