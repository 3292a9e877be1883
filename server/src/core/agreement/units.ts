import type { Span } from '../text';
import { parseTranscript, type Transcript } from '../transcript';

/**
 * The units that coders are compared on, in a transcript's plain text: its text after the front matter
 * with every tag's syntax removed (as `plainText` removes it) and CRLF read as LF. Coders' copies of a
 * transcript have the same plain text, so one set of units serves all of them.
 *
 * - `paragraph`: a stretch of non-blank lines. A paragraph never crosses a speaker turn's label or a
 *   heading; headings are no units; a turn's label (`**T:**`) is not part of its paragraph.
 * - `turn`: a speaker turn's text after its label, up to the next turn or heading. Paragraphs outside
 *   every turn (an introduction before the first turn) are units of their own, of kind paragraph.
 * - `character`: every character (code point) of the paragraphs that is not white space.
 *
 * Units without any character other than white space are dropped: there is nothing in them to code.
 */

export type UnitKind = 'paragraph' | 'turn' | 'character';

export interface Unit {
  kind: 'paragraph' | 'turn';
  /** The unit's text in plain-text offsets, without label and without surrounding white space. */
  span: Span;
  /** The turn's speaker, for turn units and for paragraphs inside a turn. */
  speaker?: string;
  /** The turn the unit belongs to (its position among the transcript's turns), if any. */
  turn?: number;
}

/** A run of the file's text that survives in the plain text. */
interface Run {
  plain: number;
  file: number;
  length: number;
}

/** A transcript's plain text and the map between its offsets and the file's. */
export interface StrippedText {
  /** The text after the front matter without tag syntax, CRLF as LF. */
  text: string;
  /** Where the text after the front matter starts in the file. */
  bodyStart: number;
  runs: Run[];
}

/** The transcript's text after its front matter, without tag syntax and with CRLF read as LF. */
export function stripTags(
  transcript: Pick<Transcript, 'text' | 'tags' | 'segments' | 'frontMatter'>,
): StrippedText {
  const source = transcript.text;
  const bodyStart = transcript.frontMatter?.end ?? (source.charCodeAt(0) === 0xfeff ? 1 : 0);
  const cuts: Span[] = [];
  // The same cuts as plainText: `]` and the tag after a passage, its `[`, and the overlap markers.
  for (const tag of transcript.tags) {
    if (tag.kind === 'span') cuts.push({ start: tag.span.start - 1, end: tag.span.end });
    else cuts.push(tag.span);
  }
  for (const segment of transcript.segments) {
    if (segment.kind === 'span') cuts.push({ start: segment.span.start, end: segment.span.start + 1 });
  }
  for (let at = source.indexOf('\r\n', bodyStart); at !== -1; at = source.indexOf('\r\n', at + 2)) {
    cuts.push({ start: at, end: at + 1 });
  }
  cuts.sort((a, b) => a.start - b.start);
  const runs: Run[] = [];
  let text = '';
  let at = bodyStart;
  const keep = (end: number) => {
    if (end <= at) return;
    runs.push({ plain: text.length, file: at, length: end - at });
    text += source.slice(at, end);
  };
  for (const cut of cuts) {
    if (cut.end <= at) continue;
    keep(cut.start);
    at = Math.max(at, cut.end);
  }
  keep(source.length);
  return { text, bodyStart, runs };
}

/** The plain-text offset of a file offset: how many kept characters come before it. */
export function toPlainOffset(stripped: StrippedText, fileOffset: number): number {
  const runs = stripped.runs;
  let low = 0;
  let high = runs.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((runs[mid]?.file ?? 0) <= fileOffset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  const run = runs[found];
  if (!run) return 0;
  return run.plain + Math.min(fileOffset - run.file, run.length);
}

/**
 * The file offset of a plain-text offset. At a place where syntax was cut out, `start` gives the
 * position after the syntax (where the next text begins) and `end` the position before it.
 */
export function toFileOffset(
  stripped: StrippedText,
  plainOffset: number,
  side: 'start' | 'end' = 'start',
): number {
  const runs = stripped.runs;
  let low = 0;
  let high = runs.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const run = runs[mid];
    const before =
      run !== undefined && (side === 'start' ? run.plain <= plainOffset : run.plain < plainOffset);
    if (before) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  const run = runs[found];
  if (!run) return stripped.bodyStart;
  return run.file + Math.min(plainOffset - run.plain, run.length);
}

/**
 * The stretch of the file that a plain-text span comes from, with the tag syntax at its edges: a unit
 * `Ja` of `[Ja]{#a}` is the whole `[Ja]{#a}`, so that a view highlights the coding with the text.
 */
export function fileSpan(stripped: StrippedText, span: Span): Span {
  const start = toFileOffset(stripped, span.start, 'end');
  const end = toFileOffset(stripped, span.end, 'start');
  return { start, end: Math.max(start, end) };
}

/** The turns and headings of the plain text, found as the transcript model finds them in a file. */
export function plainStructure(
  plain: string,
  frontMatterText: string,
  uri = 'file:///units.md',
): { turns: { speaker: string; label: Span; span: Span }[]; headings: Span[] } {
  const shift = frontMatterText.length;
  const model = parseTranscript(uri, frontMatterText + plain);
  const move = (span: Span): Span => ({ start: span.start - shift, end: span.end - shift });
  return {
    turns: model.turns.map((turn) => ({
      speaker: turn.speaker,
      label: move(turn.label),
      span: move(turn.span),
    })),
    headings: model.headings.map((heading) => move(heading.span)),
  };
}

/** The front matter block of a transcript as written, fences included; empty when it has none. */
export function frontMatterText(transcript: Pick<Transcript, 'text' | 'frontMatter'>): string {
  const span = transcript.frontMatter;
  return span ? transcript.text.slice(0, span.end) : '';
}

/**
 * The units of a transcript, in order. `kind` is `turn` or `paragraph`; character units are the
 * non-white-space characters of the paragraph units.
 */
export function unitsOf(
  plain: string,
  structure: { turns: { speaker: string; label: Span; span: Span }[]; headings: Span[] },
  kind: 'paragraph' | 'turn',
): Unit[] {
  const paragraphs = paragraphUnits(plain, structure);
  if (kind === 'paragraph') return paragraphs;
  const units: Unit[] = [];
  structure.turns.forEach((turn, index) => {
    const span = trim(plain, { start: turn.label.end, end: turn.span.end });
    if (span.end > span.start) units.push({ kind: 'turn', span, speaker: turn.speaker, turn: index });
  });
  for (const paragraph of paragraphs) if (paragraph.turn === undefined) units.push(paragraph);
  return units.sort((a, b) => a.span.start - b.span.start);
}

function paragraphUnits(
  plain: string,
  structure: { turns: { speaker: string; label: Span; span: Span }[]; headings: Span[] },
): Unit[] {
  // Places where a paragraph must end: every turn's label start and every heading.
  const labels = structure.turns.map((turn, index) => ({ ...turn, index }));
  const headingStarts = new Set(structure.headings.map((heading) => heading.start));
  const labelAt = new Map(labels.map((label) => [label.label.start, label]));
  const units: Unit[] = [];
  let current: { start: number; end: number; turn?: number; speaker?: string } | undefined;
  let turnIndex = -1;
  const flush = () => {
    if (!current) return;
    const span = trim(plain, current);
    if (span.end > span.start) {
      const unit: Unit = { kind: 'paragraph', span };
      if (current.turn !== undefined) {
        unit.turn = current.turn;
        if (current.speaker !== undefined) unit.speaker = current.speaker;
      }
      units.push(unit);
    }
    current = undefined;
  };
  let lineStart = 0;
  while (lineStart <= plain.length) {
    let lineEnd = plain.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = plain.length;
    const line = plain.slice(lineStart, lineEnd);
    // A turn lasts until the next turn or heading.
    while (turnIndex + 1 < labels.length && (labels[turnIndex + 1]?.label.start ?? Infinity) <= lineStart)
      turnIndex++;
    const inTurn = labels[turnIndex];
    const turnHere = inTurn && lineStart < inTurn.span.end + 1 ? inTurn : undefined;
    if (headingStarts.has(lineStart)) {
      flush();
    } else if (line.trim() === '') {
      flush();
    } else {
      const label = labelAt.get(lineStart);
      if (label) {
        flush();
        current = { start: label.label.end, end: lineEnd, turn: label.index, speaker: label.speaker };
      } else if (current) {
        current.end = lineEnd;
      } else {
        current = turnHere
          ? { start: lineStart, end: lineEnd, turn: turnHere.index, speaker: turnHere.speaker }
          : { start: lineStart, end: lineEnd };
      }
    }
    if (lineEnd >= plain.length) break;
    lineStart = lineEnd + 1;
  }
  flush();
  return units;
}

function trim(text: string, span: Span): Span {
  let start = span.start;
  let end = span.end;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

export function isSpace(char: number): boolean {
  return (
    char === 32 ||
    char === 9 ||
    char === 10 ||
    char === 13 ||
    char === 12 ||
    char === 11 ||
    char === 0xa0 ||
    char === 0xfeff ||
    (char >= 0x2000 && char <= 0x200a) ||
    char === 0x2028 ||
    char === 0x2029 ||
    char === 0x202f ||
    char === 0x205f ||
    char === 0x3000 ||
    char === 0x1680 ||
    char === 0x85
  );
}

/**
 * Prefix counts of the characters that count as character units: `counts[i]` is how many code points
 * before offset i are not white space (a surrogate pair counts once, at its first half).
 */
export function characterCounts(text: string): Int32Array {
  const counts = new Int32Array(text.length + 1);
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    counts[i] = count;
    const char = text.charCodeAt(i);
    const lowSurrogate = char >= 0xdc00 && char <= 0xdfff && i > 0 && isHighSurrogate(text.charCodeAt(i - 1));
    if (!isSpace(char) && !lowSurrogate) count++;
  }
  counts[text.length] = count;
  return counts;
}

function isHighSurrogate(char: number): boolean {
  return char >= 0xd800 && char <= 0xdbff;
}
