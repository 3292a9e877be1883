import type { ProjectIndex } from '../projectIndex';
import type { Range } from '../text';
import { type AttributeValue, quoteText, type Segment, type Transcript } from '../transcript';

export interface QuoteQuery {
  /** Theme number, e.g. "2.1.1": quotes coded with a code of that theme or of one below it. */
  theme?: string;
  /** Canonical code name without #. */
  code?: string;
  participant?: string;
  /** Attribute name to the value it must have (compared as text). */
  attributes?: Record<string, string>;
  /** Words that must occur in the quote, case- and accent-insensitively. */
  text?: string;
  offset?: number;
  limit?: number;
}

export interface Quote {
  uri: string;
  /** The passage itself, without its brackets and tag. */
  range: Range;
  text: string;
  codes: string[];
  /** Numbers of the themes the quote's codes are listed under. */
  themes: string[];
  participant: string;
  /** How to attribute it, e.g. "Respondent 5". */
  label: string;
  attributes: Record<string, AttributeValue>;
  speaker?: string;
  note?: string;
}

export interface QuotePage {
  total: number;
  offset: number;
  items: Quote[];
}

/** Quotes matching every given filter, in transcript order, one page at a time. */
export function findQuotes(index: ProjectIndex, query: QuoteQuery = {}): QuotePage {
  const codebook = index.codebook;
  const themeFilter = query.theme === undefined ? undefined : themeIndexesUnder(index, query.theme);
  // Each word on its own, so that "ramen omsorg" finds "Ramen är en omsorg".
  const words = query.text
    ? fold(query.text)
        .split(/\s+/)
        .filter((word) => word.length > 0)
    : [];
  const offset = Math.max(0, query.offset ?? 0);
  const limit = Math.max(0, query.limit ?? Number.POSITIVE_INFINITY);
  const items: Quote[] = [];
  let total = 0;
  for (const transcript of index.transcripts()) {
    const participant = transcript.participant;
    if (query.participant !== undefined && participant.id !== query.participant) continue;
    if (query.attributes && !attributesMatch(participant.attributes, query.attributes)) continue;
    for (const segment of transcript.segments) {
      const codes = uniqueCodes(index, segment);
      if (query.code !== undefined && !codes.includes(query.code)) continue;
      const themes = index.themesOfSegment(segment);
      if (themeFilter && !themes.some((theme) => themeFilter.has(theme))) continue;
      let text: string | undefined;
      if (words.length > 0) {
        text = quoteText(transcript, segment);
        const folded = fold(text);
        if (!words.every((word) => folded.includes(word))) continue;
      }
      total++;
      if (total <= offset || items.length >= limit) continue;
      items.push(
        toQuote(
          transcript,
          segment,
          text ?? quoteText(transcript, segment),
          codes,
          themes.map((theme) => codebook?.themes[theme]?.number ?? ''),
        ),
      );
    }
  }
  return { total, offset, items };
}

function toQuote(
  transcript: Transcript,
  segment: Segment,
  text: string,
  codes: string[],
  themes: string[],
): Quote {
  const participant = transcript.participant;
  return {
    uri: transcript.uri,
    range: transcript.lines.rangeOf(segment.text),
    text,
    codes,
    themes,
    participant: participant.id,
    label: participant.label,
    attributes: participant.attributes,
    ...(segment.speaker !== undefined ? { speaker: segment.speaker } : {}),
    ...(segment.note ? { note: segment.note.text } : {}),
  };
}

function uniqueCodes(index: ProjectIndex, segment: Segment): string[] {
  const codes: string[] = [];
  for (const occurrence of segment.codes) {
    const code = index.resolveCode(occurrence.name);
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** The theme with this number and every theme below it. */
function themeIndexesUnder(index: ProjectIndex, number: string): Set<number> {
  const themes = index.codebook?.themes ?? [];
  const found = new Set<number>();
  const root = themes.find((theme) => theme.number === number);
  const stack = root ? [root.index] : [];
  while (stack.length > 0) {
    const at = stack.pop() ?? 0;
    found.add(at);
    stack.push(...(themes[at]?.children ?? []));
  }
  return found;
}

function attributesMatch(
  attributes: Record<string, AttributeValue>,
  wanted: Record<string, string>,
): boolean {
  return Object.entries(wanted).every(([key, value]) => fold(String(attributes[key] ?? '')) === fold(value));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('sv');
}
