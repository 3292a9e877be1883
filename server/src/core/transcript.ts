import type { RuleId } from './findings';
import { isMap, readFrontMatter, stringValue } from './frontMatter';
import {
  type CodedPassage,
  type HeadingMark,
  type ScanProblem,
  type ScanResult,
  type SpeakerTurnMark,
  scanTranscript,
  scanWindow,
  type Tag,
} from './scanner';
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
  const headProblems: TranscriptProblem[] = frontMatter.problems.map((p) => ({
    rule: 'invalid-front-matter',
    ...p,
  }));
  const problems = [...headProblems];
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
  const missing: TranscriptProblem | undefined = participant.declared
    ? undefined
    : {
        rule: 'missing-participant',
        span: frontMatter.span ?? { start: 0, end: 0 },
        message: `no participant in the front matter: quotes are attributed to "${id}"; add "participant: ID" and "label: ..."`,
      };
  if (missing) problems.push(missing);

  const speakers = new Map<string, string>();
  if (isMap(data.speakers)) {
    for (const [key, value] of Object.entries(data.speakers)) speakers.set(key, stringValue(value) ?? key);
  }
  const others = problems.length;
  const turns = readTurns(text, scan, speakers, participant, problems);
  const segments = assignSpeakers(scan.passages, turns);
  const transcript: Transcript = {
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
  restartPoints.set(transcript, {
    marks: scan.turns,
    scanProblems: scan.problems,
    headProblems,
    missing,
    unknownSpeakers: problems.slice(others),
    neutral: scan.neutral,
    neutralDepth: scan.neutralDepth,
    neutralFirm: scan.neutralFirm,
  });
  return transcript;
}

/** A change of a text: the stretch [start, end) of the old text replaced by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Parses a transcript in steps of about `stepChars` characters, so that the caller can do other work
 * between them (a server answering while a 1 MB document opens). The first step parses the text up to a
 * line start; each later one appends the next lines with `editTranscript` (or parses what there is, when
 * that cannot be done). Each step yields the transcript of the text so far, which the next step takes
 * apart; the result is what `parseTranscript` gives.
 */
export function* parseTranscriptInSteps(
  uri: string,
  text: string,
  stepChars = 64 * 1024,
): Generator<Transcript, Transcript, void> {
  let end = lineStartFrom(text, stepChars);
  let transcript = parseTranscript(uri, text.slice(0, end));
  while (end < text.length) {
    yield transcript;
    const next = lineStartFrom(text, end + stepChars);
    const prefix = text.slice(0, next);
    transcript =
      editTranscript(transcript, { start: end, end, text: text.slice(end, next) }, prefix) ??
      parseTranscript(uri, prefix);
    end = next;
  }
  return transcript;
}

/** The start of the line after the one `at` lies in (the text's end when there is none). */
function lineStartFrom(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const newline = text.indexOf('\n', at);
  return newline < 0 ? text.length : newline + 1;
}

/** What re-parsing only an edited stretch of a transcript needs from its last full scan. */
interface RestartPoints {
  /** Every speaker label the scanner found, known speaker or not. */
  marks: SpeakerTurnMark[];
  scanProblems: ScanProblem[];
  /** Problems of the front matter, which an edit below it cannot change. */
  headProblems: TranscriptProblem[];
  missing: TranscriptProblem | undefined;
  /** Problems of speakers not declared, last among the problems; each one's span is its mark's name. */
  unknownSpeakers: TranscriptProblem[];
  /** Line starts where scanning may restart (see `ScanDetails.neutral`), and the brackets open there. */
  neutral: number[];
  neutralDepth: number[];
  neutralFirm: boolean[];
}

const restartPoints = new WeakMap<Transcript, RestartPoints>();

/**
 * What `editTranscript` parsed again: [from, oldTo) of the old text became [from, newTo) of the new one.
 * Both ends are line starts (or the end of the text); before the stretch nothing changed, after it
 * everything moved by `newTo - oldTo`.
 */
export interface EditedStretch {
  from: number;
  oldTo: number;
  newTo: number;
  oldLength: number;
}

const stretches = new WeakMap<Transcript, EditedStretch>();

/** The stretch `editTranscript` parsed again to make this transcript, if it made it. */
export function editedStretch(transcript: Transcript): EditedStretch | undefined {
  return stretches.get(transcript);
}

/**
 * The transcript after one edit, parsing only the edited lines: the stretch between the nearest lines
 * before and after the edit where nothing (bracket, marker, fence, comment) was open is scanned again,
 * and what lies after it is reused, moved by the edit's length. Typing in a 1 MB transcript then costs
 * about what the paragraph costs. Returns undefined when that cannot be done safely (an edit in the
 * front matter, no such lines, or a stretch that leaves something open): then parse the whole text.
 *
 * The old transcript's objects are reused and moved: it must not be used afterwards.
 */
export function editTranscript(old: Transcript, edit: TextEdit, text: string): Transcript | undefined {
  const restart = restartPoints.get(old);
  if (!restart) return undefined;
  const before = old.text;
  const delta = edit.text.length - (edit.end - edit.start);
  if (edit.start < 0 || edit.start > edit.end || edit.end > before.length) return undefined;
  if (text.length !== before.length + delta) return undefined;
  // Front matter (or what could become one) is read as a whole.
  const bom = before.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (
    old.frontMatter
      ? edit.start < old.frontMatter.end
      : before.startsWith('---', bom) || edit.start <= lineEnd(before, bom)
  )
    return undefined;
  // The edit must be the difference between the texts; what is around it is checked (the caller, which
  // got the edit from the editor, vouches for the rest).
  if (text.slice(edit.start, edit.start + edit.text.length) !== edit.text) return undefined;
  const around = 256;
  const head = Math.max(0, edit.start - around);
  if (before.slice(head, edit.start) !== text.slice(head, edit.start)) return undefined;
  const afterNew = edit.start + edit.text.length;
  if (before.slice(edit.end, edit.end + around) !== text.slice(afterNew, afterNew + around)) return undefined;

  const editLineStart = before.lastIndexOf('\n', edit.start - 1) + 1;
  const afterEdit = before.indexOf('\n', edit.end);
  const editLinesEnd = afterEdit === -1 ? before.length : afterEdit + 1;
  const neutral = restart.neutral;
  const first = lastAtOrBefore(neutral, editLineStart);
  const from = neutral[first];
  const fromDepth = restart.neutralDepth[first] ?? 0;
  if (from === undefined) return undefined;
  // The window ends where what follows closes nothing opened before it: then whatever the edit leaves
  // open, the rest scans as it did.
  let last = firstAtOrAfter(neutral, editLinesEnd);
  while (last < neutral.length && !restart.neutralFirm[last]) last++;
  const oldTo = neutral[last] ?? before.length;
  const newTo = oldTo === before.length ? text.length : oldTo + delta;
  const window = scanWindow(text, from, newTo);
  // What follows the window must see what it saw before: nothing open but brackets it never closes.
  if (oldTo < before.length && !window.endClean) return undefined;
  // A `]` in the window with no `[` of its own would close one of the brackets open before it.
  if (fromDepth > 0 && window.underflow) return undefined;

  // Found before the marks after the window move their names, which are these problems' spans.
  const unknownHead = firstIndexAtOrAfter(restart.unknownSpeakers, (p) => p.span.start, from);
  const unknownTail = firstIndexAtOrAfter(restart.unknownSpeakers, (p) => p.span.start, oldTo);

  // Before the window: unchanged. In it: the new scan. After it: the old objects, moved by `delta`.
  const move = (span: Span) => {
    span.start += delta;
    span.end += delta;
  };
  const split = <T>(
    items: readonly T[],
    startOf: (item: T) => number,
    fresh: T[],
    moveItem: (item: T) => void,
  ) => {
    const head = firstIndexAtOrAfter(items, startOf, from);
    const tail = firstIndexAtOrAfter(items, startOf, oldTo);
    const after = items.slice(tail);
    if (delta !== 0) for (const item of after) moveItem(item);
    return items.slice(0, head).concat(fresh, after);
  };
  const passages = split(
    old.segments as CodedPassage[],
    (p) => p.span.start,
    window.passages,
    (p) => {
      move(p.span);
      move(p.text);
    },
  );
  const tags = split(
    old.tags,
    (t) => t.span.start,
    window.tags,
    (t) => {
      move(t.span);
      for (const code of t.codes) move(code.span);
      if (t.note) move(t.note.span);
    },
  );
  const marks = split(
    restart.marks,
    (m) => m.label.start,
    window.turns,
    (m) => {
      move(m.label);
      move(m.name);
    },
  );
  const headings = split(
    old.headings,
    (h) => h.span.start,
    window.headings,
    (h) => {
      move(h.span);
      move(h.text);
    },
  );
  // Problems keep the order the scan reported them in (markers never closed come last), so filter, not split.
  const scanProblems: ScanProblem[] = [];
  const later: ScanProblem[] = [];
  for (const problem of restart.scanProblems) {
    if (problem.span.start < from) scanProblems.push(problem);
    else if (problem.span.start >= oldTo) later.push(problem);
  }
  scanProblems.push(...window.problems);
  for (const problem of later) {
    if (delta !== 0) move(problem.span);
    scanProblems.push(problem);
  }
  const tail = oldTo === before.length ? neutral.length : last;
  const depthShift = fromDepth + window.endDepth - (restart.neutralDepth[tail] ?? 0);
  // One loop per part: a 1 MB transcript has tens of thousands of restart points.
  const restartAt = neutral.slice(0, first);
  const restartFirm = restart.neutralFirm.slice(0, first);
  const restartDepth = restart.neutralDepth.slice(0, first);
  if (window.underflow) restartFirm.fill(false);
  for (let i = 0; i < window.neutral.length; i++) {
    restartAt.push(window.neutral[i] as number);
    restartFirm.push(window.neutralFirm[i] as boolean);
    restartDepth.push((window.neutralDepth[i] as number) + fromDepth);
  }
  for (let i = tail; i < neutral.length; i++) {
    restartAt.push((neutral[i] as number) + delta);
    restartFirm.push(restart.neutralFirm[i] as boolean);
    restartDepth.push((restart.neutralDepth[i] as number) + depthShift);
  }

  const problems = [...restart.headProblems];
  for (const problem of scanProblems) problems.push({ rule: 'malformed-tag', ...problem });
  if (restart.missing) problems.push(restart.missing);
  const turns = editTurns(old, text, from, oldTo, delta, window.turns, headings);
  const unknownSpeakers = restart.unknownSpeakers.slice(0, unknownHead);
  const known = knownSpeaker(old.speakers, old.participant);
  if (old.speakers.size > 0) {
    for (const mark of window.turns)
      if (mark.bold && !known(mark.speaker)) unknownSpeakers.push(unknownSpeaker(mark));
  }
  // Those after the window moved with their marks.
  for (let i = unknownTail; i < restart.unknownSpeakers.length; i++)
    unknownSpeakers.push(restart.unknownSpeakers[i] as TranscriptProblem);
  problems.push(...unknownSpeakers);
  // Passages after the first turn or heading that follows the window keep their speaker.
  const firstPassage = firstIndexAtOrAfter(passages, (p) => p.span.start, from);
  const nextTurn = turns[lastTurnAtOrBefore(turns, newTo - 1)]?.span.start ?? Number.POSITIVE_INFINITY;
  const nextHeading = headings[firstIndexAtOrAfter(headings, (h) => h.span.start, newTo)]?.span.start;
  const settledAt = Math.min(nextTurn, nextHeading ?? Number.POSITIVE_INFINITY);
  const reindex = passages.length !== old.segments.length;
  const segments = assignSpeakers(passages, turns, firstPassage, Math.max(settledAt, newTo), reindex);
  const transcript: Transcript = {
    uri: old.uri,
    text,
    lines: LineIndex.edited(old.lines, text, edit.start, edit.end, edit.text),
    participant: old.participant,
    speakers: old.speakers,
    turns,
    segments,
    tags,
    headings,
    ...(old.frontMatter ? { frontMatter: old.frontMatter } : {}),
    problems,
  };
  stretches.set(transcript, { from, oldTo, newTo, oldLength: before.length });
  restartPoints.set(transcript, {
    ...restart,
    marks,
    scanProblems,
    unknownSpeakers,
    neutral: restartAt,
    neutralDepth: restartDepth,
    neutralFirm: restartFirm,
  });
  return transcript;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** Index of the last value <= `at` in an ascending list, or -1. */
function lastAtOrBefore(values: readonly number[], at: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] ?? 0) <= at) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** Index of the first value >= `at` in an ascending list (the list's length when none). */
function firstAtOrAfter(values: readonly number[], at: number): number {
  return firstIndexAtOrAfter(values, (v) => v, at);
}

/** Index of the first item that starts at or after `at`, in a list sorted by start. */
export function firstIndexAtOrAfter<T>(
  items: readonly T[],
  startOf: (item: T) => number,
  at: number,
): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (startOf(items[mid] as T) < at) low = mid + 1;
    else high = mid;
  }
  return low;
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
  const known = knownSpeaker(speakers, participant);
  const marks = scan.turns.filter((mark) => mark.bold || known(mark.speaker));
  // Turn labels and headings, both already in text order: a turn lasts until the next of either.
  const headings = scan.headings;
  let heading = 0;
  let next = 1;
  return marks.map((mark) => {
    while (heading < headings.length && (headings[heading]?.span.start ?? 0) <= mark.label.start) heading++;
    while (next < marks.length && (marks[next]?.label.start ?? 0) <= mark.label.start) next++;
    if (speakers.size > 0 && !known(mark.speaker)) problems.push(unknownSpeaker(mark));
    const end = Math.min(
      headings[heading]?.span.start ?? text.length,
      marks[next]?.label.start ?? text.length,
    );
    return turnOf(text, mark, end, speakers);
  });
}

/**
 * The turns after an edit: those before the window kept but the last (it may now end in the window),
 * the window's read, those after it moved. Their labels and names are their marks' spans, which
 * `editTranscript` moved already. `old.turns` must not have been moved yet.
 */
function editTurns(
  old: Transcript,
  text: string,
  from: number,
  oldTo: number,
  delta: number,
  windowMarks: SpeakerTurnMark[],
  headings: HeadingMark[],
): Turn[] {
  const known = knownSpeaker(old.speakers, old.participant);
  const head = firstIndexAtOrAfter(old.turns, (turn) => turn.span.start, from);
  const tail = firstIndexAtOrAfter(old.turns, (turn) => turn.span.start, oldTo);
  const later = old.turns.slice(tail);
  if (delta !== 0) {
    for (const turn of later) {
      turn.span.start += delta;
      turn.span.end += delta;
    }
  }
  const kept = windowMarks.filter((mark) => mark.bold || known(mark.speaker));
  const before = old.turns[head - 1];
  const read: Pick<Turn, 'speaker' | 'label' | 'name'>[] = before ? [before, ...kept] : kept;
  const after = later[0]?.span.start ?? text.length;
  const fresh = read.map((mark, i) => {
    const heading = headings[firstIndexAtOrAfter(headings, (h) => h.span.start, mark.label.start + 1)];
    const end = Math.min(heading?.span.start ?? text.length, read[i + 1]?.label.start ?? after);
    return turnOf(text, mark, end, old.speakers);
  });
  return old.turns.slice(0, Math.max(0, head - 1)).concat(fresh, later);
}

function knownSpeaker(speakers: Map<string, string>, participant: Participant): (speaker: string) => boolean {
  return (speaker) => speakers.has(speaker) || speaker === participant.id;
}

function unknownSpeaker(mark: SpeakerTurnMark): TranscriptProblem {
  return {
    rule: 'unknown-speaker',
    span: mark.name,
    message: `speaker "${mark.speaker}" is not declared under speakers: in the front matter`,
  };
}

/** A turn from its label to `end`, less the white space before it. */
function turnOf(
  text: string,
  mark: Pick<Turn, 'speaker' | 'label' | 'name'>,
  end: number,
  speakers: Map<string, string>,
): Turn {
  let at = end;
  while (at > mark.label.end && isWhiteSpace(text.charCodeAt(at - 1))) at--;
  return {
    speaker: mark.speaker,
    speakerName: speakers.get(mark.speaker) ?? mark.speaker,
    span: { start: mark.label.start, end: at },
    label: mark.label,
    name: mark.name,
  };
}

/** What `\s` matches in a regular expression. */
function isWhiteSpace(char: number): boolean {
  return (
    (char >= 9 && char <= 13) ||
    char === 32 ||
    char === 0xa0 ||
    char === 0x1680 ||
    (char >= 0x2000 && char <= 0x200a) ||
    char === 0x2028 ||
    char === 0x2029 ||
    char === 0x202f ||
    char === 0x205f ||
    char === 0x3000 ||
    char === 0xfeff
  );
}

/**
 * Gives each passage its index and speaker. After an edit only passages from `first` on can change, and
 * from `settledAt` (a text offset) on only their index, and that only when `reindex`.
 */
function assignSpeakers(
  passages: CodedPassage[],
  turns: Turn[],
  first = 0,
  settledAt = Number.POSITIVE_INFINITY,
  reindex = true,
): Segment[] {
  // Passages come sorted by start, so one forward walk over the turns finds each one's speaker. The
  // scanner's objects are this transcript's own, so they become segments in place (a copy per passage
  // cost more than the whole scan).
  const segments = passages as Segment[];
  const start = segments[first]?.text.start ?? 0;
  let turn = lastTurnAtOrBefore(turns, start) - 1;
  for (let index = first; index < segments.length; index++) {
    const segment = segments[index] as Segment;
    if (segment.text.start >= settledAt) {
      if (!reindex) break;
      segment.index = index;
      continue;
    }
    while (turn + 1 < turns.length && (turns[turn + 1]?.span.start ?? Infinity) <= segment.text.start) turn++;
    const current = turns[turn];
    segment.index = index;
    if (current && segment.text.start <= current.span.end) segment.speaker = current.speaker;
    else if (segment.speaker !== undefined) segment.speaker = undefined;
  }
  return segments;
}

/** Index of the first turn that starts after `offset` (0 when none starts at or before it). */
function lastTurnAtOrBefore(turns: Turn[], offset: number): number {
  let low = 0;
  let high = turns.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((turns[mid]?.span.start ?? 0) <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
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
    // Tags and passages both come in text order: merged, not sorted (a 1 MB transcript has thousands).
    const closing: Span[] = [];
    for (const tag of transcript.tags) {
      if (tag.kind === 'span') closing.push({ start: tag.span.start - 1, end: tag.span.end });
      else closing.push(tag.span);
    }
    const opening: Span[] = [];
    for (const segment of transcript.segments) {
      if (segment.kind === 'span') opening.push({ start: segment.span.start, end: segment.span.start + 1 });
    }
    cuts = [];
    let i = 0;
    let j = 0;
    while (i < closing.length || j < opening.length) {
      const a = closing[i];
      const b = opening[j];
      if (a && (!b || a.start <= b.start)) {
        cuts.push(a);
        i++;
      } else if (b) {
        cuts.push(b);
        j++;
      }
    }
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
