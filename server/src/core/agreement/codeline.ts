import type { ProjectIndex } from '../projectIndex';
import type { Range } from '../text';
import type { AttributeValue } from '../transcript';
import { quoteText } from '../transcript';
import {
  characterCounts,
  fileSpan,
  frontMatterText,
  plainStructure,
  stripTags,
  toPlainOffset,
  unitsOf,
} from './units';

/**
 * The codeline: each transcript's coded segments in order along its turns (paragraphs when it has no
 * speaker turns), and the sequence query "how often does B follow A within N turns". Pure and
 * JSON-serialisable, for the command line and the panel alike.
 */

export interface CodelineStep {
  /** Zero-based position on the axis. */
  index: number;
  kind: 'turn' | 'paragraph';
  speaker?: string;
  /**
   * Zero-based position among the transcript's speaker turns, for a turn and for a paragraph inside
   * one; absent for a paragraph outside every turn (an introduction before the first turn).
   */
  turn?: number;
  /** The step's text in the file (after the speaker label). */
  range: Range;
}

export interface CodelineSegment {
  /** Position in the transcript's list of segments (file order, outer passages first). */
  index: number;
  /** Canonical codes (aliases resolved). */
  codes: string[];
  /** Numbers of the themes its codes are listed under (not their ancestors). */
  themes: string[];
  /** First and last step the passage covers text of. */
  from: number;
  to: number;
  speaker?: string;
  range: Range;
  text: string;
  note?: string;
}

export interface TranscriptCodeline {
  uri: string;
  /** Path relative to the project folder. */
  path: string;
  participant: string;
  label: string;
  attributes: Record<string, AttributeValue>;
  /** What a step is: a speaker turn, or a paragraph when the transcript has no turns. */
  axis: 'turn' | 'paragraph';
  steps: CodelineStep[];
  segments: CodelineSegment[];
}

export interface CodelineCode {
  name: string;
  theme?: string;
  segments: number;
}

export interface CodelineTheme {
  number: string;
  name: string;
  depth: number;
}

export interface Codeline {
  transcripts: TranscriptCodeline[];
  /** Codes used, in codebook order; codes the codebook does not list follow by name. */
  codes: CodelineCode[];
  /** The codebook's themes in order, for rows per theme. */
  themes: CodelineTheme[];
}

/** The codeline of every transcript of the project, or of the one with `uri`. */
export function codeline(index: ProjectIndex, options: { uri?: string } = {}): Codeline {
  const codebook = index.codebook;
  const themes = codebook?.themes ?? [];
  const transcripts = index.transcripts().filter((t) => options.uri === undefined || t.uri === options.uri);
  const counts = new Map<string, number>();
  const lines: TranscriptCodeline[] = transcripts.map((transcript) => {
    const stripped = stripTags(transcript);
    const plain = stripped.text;
    const structure = plainStructure(plain, frontMatterText(transcript), transcript.uri);
    const axis = structure.turns.length > 0 ? 'turn' : 'paragraph';
    const units = unitsOf(plain, structure, axis);
    const chars = characterCounts(plain);
    const covers = (start: number, end: number) =>
      end > start && (chars[Math.min(end, plain.length)] ?? 0) - (chars[Math.max(0, start)] ?? 0) > 0;
    const steps: CodelineStep[] = units.map((unit, i) => ({
      index: i,
      kind: unit.kind,
      ...(unit.speaker !== undefined ? { speaker: unit.speaker } : {}),
      ...(unit.turn !== undefined ? { turn: unit.turn } : {}),
      range: transcript.lines.rangeOf(fileSpan(stripped, unit.span)),
    }));
    const segments: CodelineSegment[] = [];
    for (const segment of transcript.segments) {
      const start = toPlainOffset(stripped, segment.text.start);
      const end = toPlainOffset(stripped, segment.text.end);
      let from = -1;
      let to = -1;
      units.forEach((unit, i) => {
        if (covers(Math.max(start, unit.span.start), Math.min(end, unit.span.end))) {
          if (from === -1) from = i;
          to = i;
        }
      });
      if (from === -1) continue;
      const codes = [...new Set(segment.codes.map((code) => index.resolveCode(code.name)))];
      for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
      const segmentThemes = index
        .themesOfSegment(segment)
        .map((theme) => themes[theme]?.number)
        .filter((number): number is string => number !== undefined);
      segments.push({
        index: segment.index,
        codes,
        themes: segmentThemes,
        from,
        to,
        ...(segment.speaker !== undefined ? { speaker: segment.speaker } : {}),
        range: transcript.lines.rangeOf(segment.text),
        text: quoteText(transcript, segment),
        ...(segment.note ? { note: segment.note.text } : {}),
      });
    }
    return {
      uri: transcript.uri,
      path: index.relativePath(transcript.uri) ?? transcript.uri,
      participant: transcript.participant.id,
      label: transcript.participant.label,
      attributes: transcript.participant.attributes,
      axis,
      steps,
      segments,
    };
  });
  const ordered: CodelineCode[] = [];
  const seen = new Set<string>();
  for (const theme of themes) {
    for (const entry of theme.codes) {
      const segments = counts.get(entry.name);
      if (segments === undefined || seen.has(entry.name)) continue;
      seen.add(entry.name);
      ordered.push({ name: entry.name, theme: theme.number, segments });
    }
  }
  for (const name of [...counts.keys()].filter((code) => !seen.has(code)).sort()) {
    ordered.push({ name, segments: counts.get(name) ?? 0 });
  }
  return {
    transcripts: lines,
    codes: ordered,
    themes: themes.map((theme) => ({ number: theme.number, name: theme.name, depth: theme.depth })),
  };
}

/** What a side of the sequence query stands for: one code, or a theme with every theme below it. */
export type Selector = { kind: 'code'; name: string } | { kind: 'theme'; number: string; name: string };

/**
 * Reads `#code`, `code` or a theme number such as `2` or `2.1`. A theme number that the codebook has
 * is a theme; `#2` always means the code named 2.
 */
export function parseSelector(text: string, line: Pick<Codeline, 'themes'>): Selector {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)*\.?$/.test(trimmed)) {
    const number = trimmed.replace(/\.$/, '');
    const theme = line.themes.find((t) => t.number === number);
    if (theme) return { kind: 'theme', number, name: theme.name };
  }
  return { kind: 'code', name: trimmed.replace(/^#/, '').normalize('NFC') };
}

export function selectorLabel(selector: Selector): string {
  return selector.kind === 'code' ? `#${selector.name}` : `theme ${selector.number} ${selector.name}`;
}

function matches(selector: Selector, segment: CodelineSegment): boolean {
  if (selector.kind === 'code') return segment.codes.includes(selector.name);
  return segment.themes.some((t) => t === selector.number || t.startsWith(`${selector.number}.`));
}

export interface SequenceQuery {
  /** A, the passage that comes first: `#code`, `code` or a theme number. */
  a: string;
  /** B, the passage that follows: `#code`, `code` or a theme number. */
  b: string;
  /** N: how many turns after the end of A's passage B may start; 0 means in the same turn. */
  within: number;
}

export interface SequenceMatch {
  /** Segment index of the A passage and of the first B passage that follows it. */
  a: number;
  b: number;
  /** Turns from the last turn of A to the first turn of B (0 when B starts in a turn A covers). */
  lag: number;
}

export interface SequenceCounts {
  /** Passages coded A. */
  occurrences: number;
  /** Of those, how many B follows within N turns. */
  followed: number;
  /** followed / occurrences; null without occurrences. */
  share: number | null;
  /** lags[k]: A passages whose nearest following B starts k turns after A ends (k = 0 … N). */
  lags: number[];
  /** Passages coded B, for comparison. */
  thenOccurrences: number;
}

export interface SequenceTranscript extends SequenceCounts {
  uri: string;
  path: string;
  matches: SequenceMatch[];
}

export interface SequenceResult {
  a: Selector;
  b: Selector;
  within: number;
  transcripts: SequenceTranscript[];
  overall: SequenceCounts;
}

/**
 * How often B follows A within N turns. A passage coded A is followed when a passage coded B begins
 * after it begins (later in the file, so not the same passage) and no more than N turns after the
 * last turn that A covers. Each A passage counts once, however many B passages follow it.
 */
export function sequence(line: Codeline, query: SequenceQuery): SequenceResult {
  const first = parseSelector(query.a, line);
  const second = parseSelector(query.b, line);
  const within = Math.max(0, Math.floor(query.within));
  const overall: SequenceCounts = {
    occurrences: 0,
    followed: 0,
    share: null,
    lags: new Array(within + 1).fill(0),
    thenOccurrences: 0,
  };
  const transcripts = line.transcripts.map((transcript): SequenceTranscript => {
    const result: SequenceTranscript = {
      uri: transcript.uri,
      path: transcript.path,
      occurrences: 0,
      followed: 0,
      share: null,
      lags: new Array(within + 1).fill(0),
      thenOccurrences: 0,
      matches: [],
    };
    const bs = transcript.segments.filter((segment) => matches(second, segment));
    result.thenOccurrences = bs.length;
    for (const a of transcript.segments) {
      if (!matches(first, a)) continue;
      result.occurrences++;
      let best: SequenceMatch | undefined;
      for (const b of bs) {
        if (b.index <= a.index) continue;
        const lag = Math.max(0, b.from - a.to);
        if (lag > within) continue;
        if (!best || lag < best.lag) best = { a: a.index, b: b.index, lag };
      }
      if (best) {
        result.followed++;
        result.lags[best.lag] = (result.lags[best.lag] ?? 0) + 1;
        result.matches.push(best);
      }
    }
    result.share = result.occurrences > 0 ? result.followed / result.occurrences : null;
    overall.occurrences += result.occurrences;
    overall.followed += result.followed;
    overall.thenOccurrences += result.thenOccurrences;
    result.lags.forEach((count, lag) => {
      overall.lags[lag] = (overall.lags[lag] ?? 0) + count;
    });
    return result;
  });
  overall.share = overall.occurrences > 0 ? overall.followed / overall.occurrences : null;
  return { a: first, b: second, within, transcripts, overall };
}
