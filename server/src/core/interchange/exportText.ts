import { findFrontMatter } from '../scanner';
import type { Span } from '../text';
import type { Transcript } from '../transcript';

/**
 * The text a transcript becomes in an export, and where its offsets land in it.
 *
 * The exported text is the transcript without its front matter and without the tag syntax (passage
 * brackets, tags, overlap markers), exactly as `plainText` removes it, with LF line breaks (a CR before
 * LF dropped, a lone CR made LF), no BOM and no blank lines at the start. REFI-QDA counts positions in
 * Unicode code points over that text, so `position(offset)` turns a UTF-16 offset into the transcript
 * into a code point index into the exported text: the number of kept code points before it.
 */
export interface ExportedText {
  text: string;
  /** Code point position in `text` of a UTF-16 offset into the transcript's source. */
  position(offset: number): number;
}

interface Run {
  /** Kept stretch of the source, in UTF-16 offsets. */
  start: number;
  end: number;
  /** Code points kept before the run. */
  before: number;
}

export function exportedText(transcript: Pick<Transcript, 'text' | 'tags' | 'segments'>): ExportedText {
  const source = transcript.text;
  const cuts: Span[] = [];
  const frontMatter = findFrontMatter(source);
  if (frontMatter) cuts.push({ start: 0, end: frontMatter.span.end });
  else if (source.charCodeAt(0) === 0xfeff) cuts.push({ start: 0, end: 1 });
  for (const tag of transcript.tags) {
    if (tag.kind === 'span') cuts.push({ start: tag.span.start - 1, end: tag.span.end });
    else cuts.push(tag.span);
  }
  for (const segment of transcript.segments) {
    if (segment.kind === 'span') cuts.push({ start: segment.span.start, end: segment.span.start + 1 });
  }
  cuts.sort((a, b) => a.start - b.start);

  const runs: Run[] = [];
  const parts: string[] = [];
  let kept = 0;
  let at = 0;
  // The next CR at or after where keeping goes on; searched again only once passed.
  let nextCr = -1;
  const keep = (start: number, end: number) => {
    // Within a kept stretch, the CR of every CRLF is cut as well.
    let from = start;
    while (from < end) {
      if (nextCr < from) nextCr = source.indexOf('\r', from);
      if (nextCr === -1) nextCr = source.length;
      const cr = Math.min(nextCr, end);
      if (cr > from) {
        const piece = source.slice(from, cr);
        runs.push({ start: from, end: cr, before: kept });
        parts.push(piece);
        kept += codePoints(piece);
      }
      if (cr < end) {
        if (source.charCodeAt(cr + 1) !== 10) {
          // A lone CR becomes LF: still one code point.
          runs.push({ start: cr, end: cr + 1, before: kept });
          parts.push('\n');
          kept++;
        }
        from = cr + 1;
      } else from = end;
    }
  };
  for (const cut of cuts) {
    if (cut.end <= at) continue;
    if (cut.start > at) keep(at, cut.start);
    at = Math.max(at, cut.end);
  }
  if (at < source.length) keep(at, source.length);

  let text = parts.join('');
  let leading = 0;
  while (text.charCodeAt(leading) === 10) leading++;
  if (leading > 0) text = text.slice(leading);

  return {
    text,
    position(offset: number): number {
      // The last run that starts before the offset.
      let low = 0;
      let high = runs.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if ((runs[mid]?.start ?? 0) < offset) {
          found = mid;
          low = mid + 1;
        } else high = mid - 1;
      }
      const run = runs[found];
      const before = run ? run.before + codePoints(source.slice(run.start, Math.min(offset, run.end))) : 0;
      return Math.max(0, before - leading);
    },
  };
}

/** Unicode code points in a string (a lone surrogate counts as one). */
export function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Code point positions of UTF-16 offsets into one text, each in O(log n): the offset less the surrogate
 * pairs that end before it.
 */
export function codePointPositions(text: string): (offset: number) => number {
  const pairEnds: number[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairEnds.push(i + 2);
        i++;
      }
    }
  }
  return (offset) => {
    let low = 0;
    let high = pairEnds.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((pairEnds[mid] ?? 0) <= offset) low = mid + 1;
      else high = mid;
    }
    return offset - low;
  };
}

/** The UTF-16 offset of a code point position in a string (clamped to its length). */
export function offsetOfCodePoint(text: string, position: number): number {
  let offset = 0;
  for (let count = 0; count < position && offset < text.length; count++) {
    const unit = text.charCodeAt(offset);
    const next = text.charCodeAt(offset + 1);
    offset += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return offset;
}
