import type { CodeEntry, Theme } from '../core/codebook';
import type { ProjectIndex } from '../core/projectIndex';
import type { CodeOccurrence, Tag } from '../core/scanner';
import type { LineIndex, Span } from '../core/text';

/** Where a code is written: in a transcript's tag, as a codebook entry, or mentioned in prose. */
export type OccurrenceKind = 'tag' | 'entry' | 'mention';

export interface Occurrence {
  uri: string;
  lines: LineIndex;
  kind: OccurrenceKind;
  /** As written; `name` is its NFC form. */
  raw: string;
  name: string;
  /** Covers `#name`. */
  span: Span;
  /** For tags: the tag the code is in. */
  tag?: Tag;
}

export type Target =
  | { kind: 'code'; name: string; occurrence: Occurrence }
  | { kind: 'theme'; theme: Theme; lines: LineIndex; uri: string };

/** What is at an offset of a document: a code (in a tag, an entry or a mention) or a theme heading. */
export function targetAt(project: ProjectIndex, uri: string, offset: number): Target | undefined {
  const transcript = project.transcript(uri);
  if (transcript) {
    const tag = tagAt(transcript.tags, offset);
    const code = tag?.codes.find((c) => within(c.span, offset));
    if (!tag || !code) return undefined;
    return codeTarget(project, occurrence(uri, transcript.lines, 'tag', code, tag));
  }
  const codebook = project.codebook;
  if (codebook && codebook.uri === uri) {
    for (const entries of codebook.codes.values()) {
      const entry = entries.find((e) => within(e.nameSpan, offset));
      if (entry) return codeTarget(project, entryOccurrence(uri, codebook.lines, entry));
    }
    const mention = codebook.mentions.find((m) => within(m.span, offset));
    if (mention) return codeTarget(project, occurrence(uri, codebook.lines, 'mention', mention));
    const theme = codebook.themes.find((t) => offset >= t.heading.start && offset <= t.heading.end);
    if (theme) return { kind: 'theme', theme, lines: codebook.lines, uri };
    return undefined;
  }
  const memo = project.memo(uri);
  const mention = memo?.mentions.find((m) => within(m.span, offset));
  if (memo && mention) return codeTarget(project, occurrence(uri, memo.lines, 'mention', mention));
  return undefined;
}

function codeTarget(project: ProjectIndex, found: Occurrence): Target {
  return { kind: 'code', name: project.resolveCode(found.name), occurrence: found };
}

/** Every place the code (or one of its aliases) is written in the project, in file order. */
export function occurrencesOf(
  project: ProjectIndex,
  code: string,
  options: { aliases: boolean },
): Occurrence[] {
  const codebook = project.codebook;
  const matches = (name: string) => name === code || (options.aliases && project.resolveCode(name) === code);
  const found: Occurrence[] = [];
  if (codebook) {
    for (const entry of codebook.codes.get(code) ?? [])
      found.push(entryOccurrence(codebook.uri, codebook.lines, entry));
    for (const mention of codebook.mentions) {
      if (matches(mention.name)) found.push(occurrence(codebook.uri, codebook.lines, 'mention', mention));
    }
  }
  for (const uri of project.transcriptUris()) {
    // The summary lists every code name a transcript uses: only those that use the code are parsed.
    if (!project.summary(uri)?.names.some(matches)) continue;
    const transcript = project.transcript(uri);
    if (!transcript) continue;
    for (const tag of transcript.tags) {
      for (const code of tag.codes) {
        if (matches(code.name)) found.push(occurrence(transcript.uri, transcript.lines, 'tag', code, tag));
      }
    }
  }
  for (const memo of project.memos()) {
    for (const mention of memo.mentions) {
      if (matches(mention.name)) found.push(occurrence(memo.uri, memo.lines, 'mention', mention));
    }
  }
  return found;
}

/** The text and line index the project holds for a document, if it is part of the project. */
export function documentOf(
  project: ProjectIndex,
  uri: string,
): { text: string; lines: LineIndex } | undefined {
  const codebook = project.codebook;
  if (codebook?.uri === uri) return codebook;
  return project.transcript(uri) ?? project.memo(uri);
}

/** The tag whose braces contain the offset (tags never overlap, so a binary search finds it). */
export function tagAt(tags: readonly Tag[], offset: number): Tag | undefined {
  let low = 0;
  let high = tags.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const tag = tags[mid];
    if (!tag) break;
    if (offset < tag.span.start) high = mid - 1;
    else if (offset > tag.span.end) low = mid + 1;
    else return tag;
  }
  return undefined;
}

/** Inclusive at the end, so a cursor just after `#name` still counts as on it. */
export function within(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

function occurrence(
  uri: string,
  lines: LineIndex,
  kind: OccurrenceKind,
  code: Pick<CodeOccurrence, 'name' | 'raw' | 'span'>,
  tag?: Tag,
): Occurrence {
  return { uri, lines, kind, raw: code.raw, name: code.name, span: code.span, ...(tag ? { tag } : {}) };
}

function entryOccurrence(uri: string, lines: LineIndex, entry: CodeEntry): Occurrence {
  return { uri, lines, kind: 'entry', raw: entry.raw, name: entry.name, span: entry.nameSpan };
}
