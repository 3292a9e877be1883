import { codeNameProblem, normalizeCode } from './codeNames';
import type { Span } from './text';

/**
 * The transcript scanner: one pass over the text, no regular expression per character, no recursion,
 * so a 50 MB file or 10,000 nested brackets cost time in proportion to their size and never throw.
 *
 * It finds coded passages `[text]{#code "note"}`, overlap markers `{#code>}` … `{<#code}`, speaker
 * turns, headings and malformed tags. Everything in fenced code blocks, inline code and HTML comments
 * is skipped. Offsets are UTF-16 indices into the text as given.
 */

/** One `#name` inside a tag. `name` is NFC; `raw` is as written. `span` covers `#name`. */
export interface CodeOccurrence {
  name: string;
  raw: string;
  span: Span;
}

export interface Note {
  text: string;
  /** The note with its quotes. */
  span: Span;
}

export type TagKind = 'span' | 'open' | 'close';

/** A `{...}` tag: after `]` it codes a bracketed passage; `{#c>}` and `{<#c}` are overlap markers. */
export interface Tag {
  kind: TagKind;
  span: Span;
  codes: CodeOccurrence[];
  note?: Note;
}

/** A coded passage. `span` covers all its syntax; `text` is the passage inside it. */
export interface CodedPassage {
  kind: 'span' | 'overlap';
  span: Span;
  text: Span;
  codes: CodeOccurrence[];
  note?: Note;
  /** The tags that make it: one for a bracketed span, the opening and closing marker for an overlap. */
  tags: Tag[];
  /** Zero for a top-level bracketed span; one more for each bracketed span it lies in. */
  depth: number;
}

export interface SpeakerTurnMark {
  /** The speaker as written, e.g. `R5` or `I`. */
  speaker: string;
  /** The whole label including markup, e.g. `**R5:**`. */
  label: Span;
  /** Where the speaker's name is, for renames and highlights. */
  name: Span;
  /** Whether the label was bold (`**R5:**`); plain labels (`R5:`) only count for known speakers. */
  bold: boolean;
}

export interface HeadingMark {
  level: number;
  span: Span;
  text: Span;
}

export interface ScanProblem {
  span: Span;
  message: string;
}

export interface FrontMatterBlock {
  /** From the opening `---` to the end of the closing line. */
  span: Span;
  /** The YAML between the fences. */
  content: Span;
}

export interface ScanResult {
  frontMatter?: FrontMatterBlock;
  passages: CodedPassage[];
  tags: Tag[];
  turns: SpeakerTurnMark[];
  headings: HeadingMark[];
  problems: ScanProblem[];
}

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const QUOTE = 34;
const BACKSLASH = 92;
const BACKTICK = 96;
const TILDE = 126;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const LESS = 60;
const GREATER = 62;
const STAR = 42;
const COLON = 58;
const DASH = 45;

/** Longest plausible speaker label; longer text before a colon is ordinary prose. */
const MAX_SPEAKER_LENGTH = 40;

export function findFrontMatter(text: string): FrontMatterBlock | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('---', start)) return undefined;
  const firstLineEnd = lineEndAt(text, start);
  if (text.slice(start + 3, firstLineEnd).trim() !== '') return undefined;
  let lineStart = nextLineStart(text, firstLineEnd);
  while (lineStart < text.length) {
    const end = lineEndAt(text, lineStart);
    const line = text.slice(lineStart, end).trimEnd();
    if (line === '---' || line === '...') {
      return {
        span: { start, end: nextLineStart(text, end) },
        content: { start: nextLineStart(text, firstLineEnd), end: lineStart },
      };
    }
    lineStart = nextLineStart(text, end);
  }
  return undefined;
}

/** Offset of the line break (or text end) of the line containing `offset`, before any "\r". */
function lineEndAt(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  return end > offset && text.charCodeAt(end - 1) === CR ? end - 1 : end;
}

function nextLineStart(text: string, lineEnd: number): number {
  if (text.charCodeAt(lineEnd) === CR) lineEnd++;
  return text.charCodeAt(lineEnd) === NEWLINE ? lineEnd + 1 : Math.min(lineEnd, text.length);
}

interface OpenMarker {
  tag: Tag;
  code: CodeOccurrence;
  closed: boolean;
}

/** A scan with what restarting it in the middle needs. */
export interface ScanDetails extends ScanResult {
  /**
   * Line starts, in order from the first line scanned, where scanning may restart with nothing open and
   * give what the whole scan gave: no overlap marker, fenced block or comment is open there, and no
   * bracket still open there is ever closed later (a lone `[` that nothing closes changes nothing).
   */
  neutral: number[];
  /** For each of `neutral`, how many brackets were open there (never to be closed). */
  neutralDepth: number[];
  /**
   * For each of `neutral`, whether nothing after it closes a bracket it did not open, not even a `]`
   * that finds no `[` at all: then what an edit before it leaves open cannot change what follows.
   */
  neutralFirm: boolean[];
  /** Whether no overlap marker, fenced block or comment was open where the scan stopped. */
  endClean: boolean;
  /** Brackets open where the scan stopped. */
  endDepth: number;
  /** Whether a `]` found no open bracket (scanning a window: it may close one from before the window). */
  underflow: boolean;
}

export function scanTranscript(text: string): ScanDetails {
  const frontMatter = findFrontMatter(text);
  const start = frontMatter ? frontMatter.span.end : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return scan(text, start, text.length, frontMatter);
}

/**
 * Scans the lines from `from` (a line start) up to `to` (a line start, or the end of the text) as if
 * nothing were open at `from`: re-scanning an edited stretch between two neutral lines.
 */
export function scanWindow(text: string, from: number, to: number): ScanDetails {
  return scan(text, from, to, undefined);
}

function scan(
  text: string,
  from: number,
  to: number,
  frontMatter: FrontMatterBlock | undefined,
): ScanDetails {
  const passages: CodedPassage[] = [];
  const tags: Tag[] = [];
  const turns: SpeakerTurnMark[] = [];
  const headings: HeadingMark[] = [];
  const problems: ScanProblem[] = [];
  const openBrackets: number[] = [];
  const openMarkers: OpenMarker[] = [];
  const markerPairs = new Map<Tag, Map<Tag, CodeOccurrence[]>>();
  /** The characters inline scanning acts on, and where the next one is (found once, used by every line up to it). */
  const inlineSpecial = /[\\`<[\]{]/g;
  let nextSpecial = -1;
  /** Overlap markers opened and not (yet) closed. */
  let unclosedMarkers = 0;
  /** Per line: start, brackets open at its start, whether nothing else was open, fewest brackets open in it. */
  const lineStarts: number[] = [];
  const lineDepths: number[] = [];
  const lineClean: boolean[] = [];
  const lineLow: number[] = [];
  const lineLowest: number[] = [];
  let low = 0;
  /** Like `low`, but a `]` that finds no `[` counts as going below every open bracket. */
  let lowest = 0;
  let underflow = false;

  let fence: { char: number; length: number } | undefined;
  let inComment = false;
  let lineStart = from;

  while (lineStart < to) {
    const lineEnd = lineEndAt(text, lineStart);
    const next = nextLineStart(text, lineEnd);
    if (lineStarts.length > 0) {
      lineLow.push(low);
      lineLowest.push(lowest);
    }
    lineStarts.push(lineStart);
    lineDepths.push(openBrackets.length);
    lineClean.push(!fence && !inComment && unclosedMarkers === 0);
    low = openBrackets.length;
    lowest = low;

    if (fence) {
      if (isFenceClose(text, lineStart, lineEnd, fence)) fence = undefined;
      lineStart = next > lineStart ? next : to;
      continue;
    }
    if (!inComment) {
      const opening = fenceOpening(text, lineStart, lineEnd);
      if (opening) {
        fence = opening;
        lineStart = next > lineStart ? next : to;
        continue;
      }
      const heading = headingAt(text, lineStart, lineEnd);
      if (heading) headings.push(heading);
      else {
        const turn = turnAt(text, lineStart, lineEnd);
        if (turn) turns.push(turn);
      }
    }
    inComment = scanInline(text, lineStart, lineEnd, inComment);
    lineStart = next > lineStart ? next : to;
  }
  if (lineStarts.length > 0) {
    lineLow.push(low);
    lineLowest.push(lowest);
  }
  const endClean = !fence && !inComment && unclosedMarkers === 0;
  // A line is a restart point when nothing after it closes a bracket opened before it.
  const neutral: number[] = [];
  const neutralDepth: number[] = [];
  const neutralFirm: boolean[] = [];
  let future = Number.POSITIVE_INFINITY;
  let futureLowest = Number.POSITIVE_INFINITY;
  for (let i = lineStarts.length - 1; i >= 0; i--) {
    future = Math.min(future, lineLow[i] ?? 0);
    futureLowest = Math.min(futureLowest, lineLowest[i] ?? 0);
    const depth = lineDepths[i] ?? 0;
    if (lineClean[i] && future >= depth) {
      neutral.push(lineStarts[i] ?? 0);
      neutralDepth.push(depth);
      neutralFirm.push(futureLowest >= depth);
    }
  }
  neutral.reverse();
  neutralDepth.reverse();
  neutralFirm.reverse();

  for (const marker of openMarkers) {
    if (!marker.closed) {
      problems.push({
        span: { ...marker.code.span },
        message: `overlap marker for #${marker.code.raw} is never closed: add {<#${marker.code.raw}} where the passage ends`,
      });
    }
  }
  for (const [open, closes] of markerPairs) {
    for (const [close, codes] of closes) {
      passages.push({
        kind: 'overlap',
        span: { start: open.span.start, end: close.span.end },
        text: { start: open.span.end, end: close.span.start },
        codes,
        ...(open.note ? { note: open.note } : {}),
        tags: [open, close],
        depth: 0,
      });
    }
  }
  passages.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  // Depth counts the coded spans around a passage; lone or uncoded brackets (`[paus`, links) do not nest it.
  const enclosing: number[] = [];
  for (const passage of passages) {
    if (passage.kind !== 'span') continue;
    while (enclosing.length > 0 && (enclosing[enclosing.length - 1] ?? 0) <= passage.span.start)
      enclosing.pop();
    passage.depth = enclosing.length;
    enclosing.push(passage.span.end);
  }
  tags.sort((a, b) => a.span.start - b.span.start);
  return {
    ...(frontMatter ? { frontMatter } : {}),
    passages,
    tags,
    turns,
    headings,
    problems,
    neutral,
    neutralDepth,
    neutralFirm,
    endClean,
    endDepth: openBrackets.length,
    underflow,
  };

  /** Scans one line for brackets and tags; returns whether an HTML comment is still open at its end. */
  function scanInline(source: string, start: number, end: number, commentOpen: boolean): boolean {
    let i = start;
    if (commentOpen) {
      const close = indexBefore(source, '-->', start, end);
      if (close === -1) return true;
      i = close + 3;
    }
    while (i < end) {
      // Jump to the next character that can matter; prose between them is never looked at one by one.
      if (nextSpecial < i) {
        inlineSpecial.lastIndex = i;
        nextSpecial = inlineSpecial.exec(source)?.index ?? source.length;
      }
      if (nextSpecial >= end) break;
      i = nextSpecial;
      const char = source.charCodeAt(i);
      switch (char) {
        case BACKSLASH:
          i += 2;
          continue;
        case BACKTICK: {
          let run = 1;
          while (source.charCodeAt(i + run) === BACKTICK) run++;
          const closing = findBacktickRun(source, i + run, end, run);
          i = closing === -1 ? i + run : closing + run;
          continue;
        }
        case LESS:
          if (source.startsWith('<!--', i)) {
            const close = indexBefore(source, '-->', i + 4, end);
            if (close === -1) return true;
            i = close + 3;
            continue;
          }
          break;
        case OPEN_BRACKET:
          openBrackets.push(i);
          break;
        case CLOSE_BRACKET:
          i = closeBracket(i, end);
          continue;
        case OPEN_BRACE:
          i = looseBrace(i, end);
          continue;
      }
      i++;
    }
    return false;
  }

  /** Handles `]` at `at`; returns where scanning goes on. */
  function closeBracket(at: number, end: number): number {
    const open = openBrackets.pop();
    if (open === undefined) {
      underflow = true;
      lowest = -1;
    }
    if (openBrackets.length < low) low = openBrackets.length;
    if (openBrackets.length < lowest) lowest = openBrackets.length;
    // An overlap marker may stand right after a convention such as `[paus]`: then `]` is plain text.
    if (text.charCodeAt(at + 1) !== OPEN_BRACE || isMarker(at + 1, end)) return at + 1;
    const tag = parseTag(at + 1, end, 'span');
    if (!tag) return at + 2;
    if (open === undefined) {
      problems.push({
        span: { start: at, end: tag.span.end },
        message: 'this tag closes a passage that was never opened: add [ where the coded passage begins',
      });
      return tag.span.end;
    }
    if (open + 1 === at) {
      problems.push({
        span: { start: open, end: tag.span.end },
        message: 'empty coded passage: put the quoted text between [ and ]',
      });
      return tag.span.end;
    }
    if (tag.codes.length > 0) {
      tags.push(tag);
      passages.push({
        kind: 'span',
        span: { start: open, end: tag.span.end },
        text: { start: open + 1, end: at },
        codes: tag.codes,
        ...(tag.note ? { note: tag.note } : {}),
        tags: [tag],
        depth: 0,
      });
    }
    return tag.span.end;
  }

  /** Handles `{` that does not follow `]`: overlap markers, or a tag that lost its passage. */
  function looseBrace(at: number, end: number): number {
    const after = text.charCodeAt(at + 1);
    const isClose = after === LESS && text.charCodeAt(at + 2) === HASH;
    if (after !== HASH && !isClose) return at + 1;
    const tag = parseTag(at, end, isClose ? 'close' : 'open');
    if (!tag) return at + 2;
    // An unclosed tag is already reported; whether it meant a marker cannot be told.
    if (text.charCodeAt(tag.span.end - 1) !== CLOSE_BRACE) return tag.span.end;
    if (tag.kind === 'open' && !isMarker(at, end)) {
      const before = previousNonSpace(at);
      problems.push({
        span: tag.span,
        message:
          before !== -1 && text.charCodeAt(before) === CLOSE_BRACKET
            ? 'a tag must follow ] directly: remove the space between ] and {'
            : 'tag without a passage: write [quoted text]{#code}, or {#code>} … {<#code} for an overlapping passage',
      });
      return tag.span.end;
    }
    if (tag.codes.length === 0) return tag.span.end;
    tags.push(tag);
    if (tag.kind === 'open') {
      for (const code of tag.codes) openMarkers.push({ tag, code, closed: false });
      unclosedMarkers += tag.codes.length;
    } else {
      for (const code of tag.codes) closeMarker(tag, code);
    }
    return tag.span.end;
  }

  function closeMarker(close: Tag, code: CodeOccurrence): void {
    for (let k = openMarkers.length - 1; k >= 0; k--) {
      const marker = openMarkers[k];
      if (marker && !marker.closed && marker.code.name === code.name) {
        marker.closed = true;
        unclosedMarkers--;
        const closes = markerPairs.get(marker.tag) ?? new Map<Tag, CodeOccurrence[]>();
        markerPairs.set(marker.tag, closes);
        const codes = closes.get(close) ?? [];
        closes.set(close, codes);
        codes.push(marker.code);
        return;
      }
    }
    problems.push({
      span: { ...code.span },
      message: `closing marker for #${code.raw} has no opening marker: add {#${code.raw}>} where the passage begins`,
    });
  }

  function previousNonSpace(at: number): number {
    let k = at - 1;
    while (k >= 0 && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k--;
    return k;
  }

  /** Whether the brace at `at` opens an overlap marker: `{<#…}`, or `{#…>}` ending with an arrow. */
  function isMarker(at: number, end: number): boolean {
    if (text.charCodeAt(at + 1) === LESS && text.charCodeAt(at + 2) === HASH) return true;
    if (text.charCodeAt(at + 1) !== HASH) return false;
    const close = indexBefore(text, '}', at + 1, end);
    if (close === -1) return false;
    let k = close - 1;
    while (k > at && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k--;
    return text.charCodeAt(k) === GREATER;
  }

  /**
   * Parses `{...}` starting at `at` (the brace). Returns undefined when the brace is ordinary text.
   * Problems inside a tag are reported and the tag is returned with the codes that were valid.
   */
  function parseTag(at: number, end: number, kind: TagKind): Tag | undefined {
    const close = indexBefore(text, '}', at + 1, end);
    if (close === -1) {
      if (kind === 'span' && text.charCodeAt(at + 1) !== HASH) return undefined;
      problems.push({
        span: { start: at, end },
        message: 'tag is not closed: add } at the end of the tag (a tag stays on one line)',
      });
      return { kind, span: { start: at, end }, codes: [] };
    }
    const tag: Tag = { kind, span: { start: at, end: close + 1 }, codes: [] };
    const problemsBefore = problems.length;
    let i = at + 1;
    let contentEnd = close;
    if (kind === 'close') i++;
    else if (kind === 'open') {
      let k = close - 1;
      while (k > i && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k--;
      if (text.charCodeAt(k) === GREATER) contentEnd = k;
    }
    while (i < contentEnd) {
      const char = text.charCodeAt(i);
      if (char === SPACE || char === TAB) {
        i++;
        continue;
      }
      if (char === HASH) {
        let j = i + 1;
        while (j < contentEnd && !isTagSeparator(text.charCodeAt(j))) j++;
        const raw = text.slice(i + 1, j);
        const problem = codeNameProblem(raw);
        if (problem) problems.push({ span: { start: i, end: j }, message: problem });
        else tag.codes.push({ name: normalizeCode(raw), raw, span: { start: i, end: j } });
        i = j;
        continue;
      }
      if (char === QUOTE && kind !== 'close') {
        const noteEnd = indexBefore(text, '"', i + 1, contentEnd);
        if (noteEnd === -1) {
          problems.push({
            span: { start: i, end: contentEnd },
            message: 'note is not closed: end it with "',
          });
          break;
        }
        if (tag.note)
          problems.push({ span: { start: i, end: noteEnd + 1 }, message: 'a tag holds one note only' });
        else tag.note = { text: text.slice(i + 1, noteEnd), span: { start: i, end: noteEnd + 1 } };
        i = noteEnd + 1;
        continue;
      }
      let j = i + 1;
      while (j < contentEnd && !isTagSeparator(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      problems.push({
        span: { start: i, end: j },
        message:
          kind === 'close'
            ? `expected #code in a closing marker, found "${word}"`
            : `expected #code or a "note" in the tag, found "${word}" (did you mean #${word}?)`,
      });
      i = j;
    }
    if (tag.codes.length === 0 && problems.length === problemsBefore) {
      problems.push({
        span: tag.span,
        message: 'tag has no code: write at least one #code inside the braces',
      });
    }
    return tag;
  }
}

/** `text.indexOf(search, from)` within [from, end): a search inside one line never reads the rest of the file. */
function indexBefore(text: string, search: string, from: number, end: number): number {
  const at = text.slice(from, end).indexOf(search);
  return at === -1 ? -1 : from + at;
}

function isTagSeparator(char: number): boolean {
  return char === SPACE || char === TAB || char === QUOTE;
}

function findBacktickRun(text: string, from: number, end: number, length: number): number {
  let i = text.indexOf('`', from);
  while (i !== -1 && i < end) {
    let run = 1;
    while (text.charCodeAt(i + run) === BACKTICK) run++;
    if (run === length) return i;
    i = text.indexOf('`', i + run);
  }
  return -1;
}

function fenceOpening(
  text: string,
  start: number,
  end: number,
): { char: number; length: number } | undefined {
  let i = start;
  while (i < end && i - start < 3 && text.charCodeAt(i) === SPACE) i++;
  const char = text.charCodeAt(i);
  if (char !== BACKTICK && char !== TILDE) return undefined;
  let length = 0;
  while (text.charCodeAt(i + length) === char) length++;
  if (length < 3) return undefined;
  if (char === BACKTICK && indexBefore(text, '`', i + length, end) !== -1) return undefined;
  return { char, length };
}

function isFenceClose(
  text: string,
  start: number,
  end: number,
  fence: { char: number; length: number },
): boolean {
  let i = start;
  while (i < end && i - start < 3 && text.charCodeAt(i) === SPACE) i++;
  let length = 0;
  while (text.charCodeAt(i + length) === fence.char) length++;
  if (length < fence.length) return false;
  return text.slice(i + length, end).trim() === '';
}

function headingAt(text: string, start: number, end: number): HeadingMark | undefined {
  let i = start;
  while (i < end && i - start < 3 && text.charCodeAt(i) === SPACE) i++;
  let level = 0;
  while (text.charCodeAt(i + level) === HASH) level++;
  if (level === 0 || level > 6) return undefined;
  const after = text.charCodeAt(i + level);
  if (i + level < end && after !== SPACE && after !== TAB) return undefined;
  let textStart = i + level;
  while (textStart < end && (text.charCodeAt(textStart) === SPACE || text.charCodeAt(textStart) === TAB))
    textStart++;
  let textEnd = end;
  while (
    textEnd > textStart &&
    (text.charCodeAt(textEnd - 1) === SPACE || text.charCodeAt(textEnd - 1) === TAB)
  ) {
    textEnd--;
  }
  return { level, span: { start, end }, text: { start: textStart, end: textEnd } };
}

/** `**R5:**`, `**R5**:` or plain `R5:` at the start of a line. */
function turnAt(text: string, start: number, end: number): SpeakerTurnMark | undefined {
  if (text.charCodeAt(start) === STAR && text.charCodeAt(start + 1) === STAR) {
    const nameStart = start + 2;
    const limit = Math.min(end, nameStart + MAX_SPEAKER_LENGTH + 3);
    for (let i = nameStart; i < limit; i++) {
      const char = text.charCodeAt(i);
      if (char === COLON && text.startsWith('**', i + 1)) {
        return bold(nameStart, i, i + 3);
      }
      if (char === STAR && text.charCodeAt(i + 1) === STAR && text.charCodeAt(i + 2) === COLON) {
        return bold(nameStart, i, i + 3);
      }
      if (char === STAR || char === OPEN_BRACKET) return undefined;
    }
    return undefined;
  }
  const limit = Math.min(end, start + MAX_SPEAKER_LENGTH + 1);
  for (let i = start; i < limit; i++) {
    const char = text.charCodeAt(i);
    if (char === COLON) {
      const after = text.charCodeAt(i + 1);
      if (i === start || (i + 1 < end && after !== SPACE && after !== TAB)) return undefined;
      const speaker = text.slice(start, i);
      return { speaker, label: { start, end: i + 1 }, name: { start, end: i }, bold: false };
    }
    if (!isSpeakerChar(char)) return undefined;
  }
  return undefined;

  function bold(nameStart: number, nameEnd: number, labelEnd: number): SpeakerTurnMark | undefined {
    const speaker = text.slice(nameStart, nameEnd).trim();
    if (speaker.length === 0) return undefined;
    return { speaker, label: { start, end: labelEnd }, name: { start: nameStart, end: nameEnd }, bold: true };
  }
}

function isSpeakerChar(char: number): boolean {
  return (
    (char >= 48 && char <= 57) ||
    (char >= 65 && char <= 90) ||
    (char >= 97 && char <= 122) ||
    char === SPACE ||
    char === DASH ||
    char === 95 ||
    char === 46 ||
    (char > 127 && char !== 0xfeff)
  );
}
