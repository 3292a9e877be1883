import type { ProjectIndex } from '../projectIndex';
import { SEGMENT_FIELDS, segmentCount } from '../summary';
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

/**
 * Quotes matching every given filter, in transcript order, one page at a time. Without a text filter,
 * the per-transcript counts the index keeps say how many quotes each transcript holds, so only the
 * transcripts that fill the page are looked at (and parsed, if they are not kept parsed).
 */
export function findQuotes(index: ProjectIndex, query: QuoteQuery = {}): QuotePage {
  const codebook = index.codebook;
  const themeFilter = query.theme === undefined ? undefined : themeIndexesUnder(index, query.theme);
  const rootTheme =
    query.theme === undefined
      ? undefined
      : codebook?.themes.find((theme) => theme.number === query.theme)?.index;
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
  for (const uri of index.transcriptUris()) {
    const participant = index.summary(uri)?.participant;
    if (!participant) continue;
    if (query.participant !== undefined && participant.id !== query.participant) continue;
    if (query.attributes && !attributesMatch(participant.attributes, query.attributes)) continue;
    if (words.length === 0) {
      const count =
        query.theme !== undefined && rootTheme === undefined
          ? 0
          : index.segmentsMatching(uri, { code: query.code, theme: rootTheme });
      if (count === 0) continue;
      if (count !== undefined && (total + count <= offset || items.length >= limit)) {
        total += count;
        continue;
      }
    }
    if (words.length === 0) {
      // Which segments match, from the summary; the quotes themselves from the cache where they are,
      // so that a page spread over a hundred transcripts does not parse a hundred transcripts again.
      const summary = index.summary(uri);
      if (!summary) continue;
      const matching: { segment: number; codes: string[]; themes: number[] }[] = [];
      const setInfo = new Map<number, { codes: string[]; themes: number[] }>();
      const count = segmentCount(summary);
      for (let i = 0; i < count; i++) {
        const set = summary.segments[i * SEGMENT_FIELDS + 2] ?? 0;
        let info = setInfo.get(set);
        if (!info) {
          const codes: string[] = [];
          for (const name of summary.codeSets[set] ?? []) {
            const code = index.resolveCode(summary.names[name] ?? '');
            if (!codes.includes(code)) codes.push(code);
          }
          const themes: number[] = [];
          for (const code of codes) {
            const theme = index.themeOf(code);
            if (theme !== undefined && !themes.includes(theme)) themes.push(theme);
          }
          info = { codes, themes };
          setInfo.set(set, info);
        }
        if (query.code !== undefined && !info.codes.includes(query.code)) continue;
        if (themeFilter && !info.themes.some((theme) => themeFilter.has(theme))) continue;
        total++;
        if (total <= offset || items.length + matching.length >= limit) continue;
        matching.push({ segment: i, ...info });
      }
      if (matching.length > 0) items.push(...cachedQuotes(index, uri, matching));
      continue;
    }
    const transcript = index.transcript(uri);
    if (!transcript) continue;
    for (const segment of transcript.segments) {
      const codes = uniqueCodes(index, segment);
      if (query.code !== undefined && !codes.includes(query.code)) continue;
      const themes = index.themesOfSegment(segment);
      if (themeFilter && !themes.some((theme) => themeFilter.has(theme))) continue;
      const text = quoteText(transcript, segment);
      const folded = fold(text);
      if (!words.every((word) => folded.includes(word))) continue;
      total++;
      if (total <= offset || items.length >= limit) continue;
      items.push(
        toQuote(
          transcript,
          segment,
          text,
          codes,
          themes.map((theme) => codebook?.themes[theme]?.number ?? ''),
        ),
      );
    }
  }
  return { total, offset, items };
}

/** Quotes made earlier, per transcript, while its text and the codebook stay as they were. */
interface QuoteCache {
  key: string;
  quotes: Map<number, Quote>;
}

/** Transcripts whose quotes are kept (a few pages' worth). */
const QUOTE_CACHE_SIZE = 256;
const quoteCaches = new WeakMap<ProjectIndex, Map<string, QuoteCache>>();

/** The quotes of some segments of a transcript: from the cache, or made (parsing it if need be). */
function cachedQuotes(
  index: ProjectIndex,
  uri: string,
  wanted: { segment: number; codes: string[]; themes: number[] }[],
): Quote[] {
  let caches = quoteCaches.get(index);
  if (!caches) {
    caches = new Map();
    quoteCaches.set(index, caches);
  }
  const key = `${index.fileVersion(uri)}:${index.codebookVersion}:${index.structureVersion}`;
  let cache = caches.get(uri);
  if (cache?.key !== key) cache = { key, quotes: new Map() };
  caches.delete(uri);
  caches.set(uri, cache);
  if (caches.size > QUOTE_CACHE_SIZE) caches.delete(caches.keys().next().value as string);
  const missing = wanted.filter((w) => !cache.quotes.has(w.segment));
  if (missing.length > 0) {
    const transcript = index.transcript(uri);
    const themes = index.codebook?.themes ?? [];
    for (const want of missing) {
      const segment = transcript?.segments[want.segment];
      if (!transcript || !segment) continue;
      const numbers = want.themes.map((theme) => themes[theme]?.number ?? '');
      cache.quotes.set(
        want.segment,
        toQuote(transcript, segment, quoteText(transcript, segment), want.codes, numbers),
      );
    }
  }
  return wanted.flatMap((w) => cache.quotes.get(w.segment) ?? []);
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
