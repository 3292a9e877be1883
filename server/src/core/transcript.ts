import type { RuleId } from './findings';
import { isMap, readFrontMatter, stringValue } from './frontMatter';
import { type CodedPassage, type HeadingMark, type ScanResult, scanTranscript, type Tag } from './scanner';
import { LineIndex, type Span } from './text';

export type AttributeValue = string | number | boolean;

export interface Participant {
  /** As written in `participant:`, or the file name when the front matter names none. */
  id: string;
  /** How quotes are attributed, e.g. "Respondent 5". */
  label: string;
  attributes: Record<string, AttributeValue>;
  declared: boolean;
}

export interface Turn {
  speaker: string;
  /** The speaker's name from `speakers:`, or the label itself. */
  speakerName: string;
  /** From the label to the end of the turn's text. */
  span: Span;
  label: Span;
  name: Span;
}

export interface Segment extends CodedPassage {
  /** Position in the transcript's list of segments; stable while the text is. */
  index: number;
  /** The speaker of the turn the passage starts in. */
  speaker?: string;
}

export interface TranscriptProblem {
  rule: RuleId;
  span: Span;
  message: string;
}

export interface Transcript {
  uri: string;
  text: string;
  lines: LineIndex;
  participant: Participant;
  speakers: Map<string, string>;
  turns: Turn[];
  segments: Segment[];
  tags: Tag[];
  headings: HeadingMark[];
  frontMatter?: Span;
  problems: TranscriptProblem[];
}

export function parseTranscript(uri: string, text: string): Transcript {
  const scan = scanTranscript(text);
  const frontMatter = readFrontMatter(text);
  const problems: TranscriptProblem[] = frontMatter.problems.map((p) => ({
    rule: 'invalid-front-matter',
    ...p,
  }));
  for (const problem of scan.problems) problems.push({ rule: 'malformed-tag', ...problem });

  const data = frontMatter.data;
  const declaredId = stringValue(data.participant);
  const id = declaredId ?? fileStem(uri);
  const participant: Participant = {
    id,
    label: stringValue(data.label) ?? id,
    attributes: readAttributes(data.attributes),
    declared: declaredId !== undefined,
  };
  if (!participant.declared) {
    problems.push({
      rule: 'missing-participant',
      span: frontMatter.span ?? { start: 0, end: 0 },
      message: `no participant in the front matter: quotes are attributed to "${id}"; add "participant: ID" and "label: ..."`,
    });
  }

  const speakers = new Map<string, string>();
  if (isMap(data.speakers)) {
    for (const [key, value] of Object.entries(data.speakers)) speakers.set(key, stringValue(value) ?? key);
  }
  const turns = readTurns(text, scan, speakers, participant, problems);
  const segments = assignSpeakers(scan.passages, turns);
  return {
    uri,
    text,
    lines: new LineIndex(text),
    participant,
    speakers,
    turns,
    segments,
    tags: scan.tags,
    headings: scan.headings,
    ...(frontMatter.span ? { frontMatter: frontMatter.span } : {}),
    problems,
  };
}

function readAttributes(value: unknown): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return attributes;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
      attributes[key] = item;
    else if (Array.isArray(item)) attributes[key] = item.join(', ');
  }
  return attributes;
}

function readTurns(
  text: string,
  scan: ScanResult,
  speakers: Map<string, string>,
  participant: Participant,
  problems: TranscriptProblem[],
): Turn[] {
  const known = (speaker: string) => speakers.has(speaker) || speaker === participant.id;
  const marks = scan.turns.filter((mark) => mark.bold || known(mark.speaker));
  const boundaries = [...marks.map((m) => m.label.start), ...scan.headings.map((h) => h.span.start)].sort(
    (a, b) => a - b,
  );
  let boundary = 0;
  return marks.map((mark) => {
    while (boundary < boundaries.length && (boundaries[boundary] ?? 0) <= mark.label.start) boundary++;
    let end = boundaries[boundary] ?? text.length;
    while (end > mark.label.end && /\s/.test(text.charAt(end - 1))) end--;
    if (speakers.size > 0 && !known(mark.speaker)) {
      problems.push({
        rule: 'unknown-speaker',
        span: mark.name,
        message: `speaker "${mark.speaker}" is not declared under speakers: in the front matter`,
      });
    }
    return {
      speaker: mark.speaker,
      speakerName: speakers.get(mark.speaker) ?? mark.speaker,
      span: { start: mark.label.start, end },
      label: mark.label,
      name: mark.name,
    };
  });
}

function assignSpeakers(passages: CodedPassage[], turns: Turn[]): Segment[] {
  let turn = -1;
  // Passages come sorted by start, so one forward walk over the turns finds each one's speaker.
  return passages.map((passage, index) => {
    while (turn + 1 < turns.length && (turns[turn + 1]?.span.start ?? Infinity) <= passage.text.start) turn++;
    const current = turns[turn];
    const speaker = current && passage.text.start <= current.span.end ? current.speaker : undefined;
    return speaker === undefined ? { ...passage, index } : { ...passage, index, speaker };
  });
}

/** The file name without folders and `.md`, decoded from its URI. */
export function fileStem(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1).replace(/\.md$/i, '');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Each transcript's markup, sorted: built once, since quotes and the outline cut it out per segment. */
const markupCache = new WeakMap<Pick<Transcript, 'text' | 'tags' | 'segments'>, Span[]>();

/**
 * The transcript's text with every tag's syntax removed: the brackets of coded passages, their tags and
 * overlap markers go; everything else, `[paus]` included, stays exactly as written.
 */
export function plainText(transcript: Pick<Transcript, 'text' | 'tags' | 'segments'>, region?: Span): string {
  let cuts = markupCache.get(transcript);
  if (!cuts) {
    cuts = [];
    for (const tag of transcript.tags) {
      if (tag.kind === 'span') cuts.push({ start: tag.span.start - 1, end: tag.span.end });
      else cuts.push(tag.span);
    }
    for (const segment of transcript.segments) {
      if (segment.kind === 'span') cuts.push({ start: segment.span.start, end: segment.span.start + 1 });
    }
    cuts.sort((a, b) => a.start - b.start);
    markupCache.set(transcript, cuts);
  }
  return cutOut(transcript.text, cuts, region ?? { start: 0, end: transcript.text.length });
}

/** The text of `region` without the cuts, which are sorted and never overlap. */
function cutOut(text: string, cuts: Span[], region: Span): string {
  // Skip, by binary search, the cuts that end before the region: a quote costs what it holds.
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cuts[mid]?.end ?? 0) <= region.start) low = mid + 1;
    else high = mid;
  }
  let out = '';
  let at = region.start;
  for (let i = low; i < cuts.length; i++) {
    const cut = cuts[i];
    if (!cut || cut.start >= region.end) break;
    if (cut.start > at) out += text.slice(at, cut.start);
    at = Math.max(at, cut.end);
  }
  if (at < region.end) out += text.slice(at, region.end);
  return out;
}

const speakerLabelPattern = /(^|\n)[ \t]*\*\*[^*\n]{1,40}?(?::\*\*|\*\*:)[ \t]*/g;

/** A coded passage as a reader sees it in a report: tags and speaker labels gone, spaces folded. */
export function quoteText(transcript: Transcript, segment: Segment): string {
  return plainText(transcript, segment.text).replace(speakerLabelPattern, '$1').replace(/\s+/g, ' ').trim();
}
