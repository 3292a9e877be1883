/** Positions as LSP counts them: zero-based lines, characters in UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open stretch of a document in UTF-16 offsets: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/**
 * Maps offsets to line/character and back. A line ends at "\n"; a "\r" before it belongs to the line
 * break, so CRLF documents get the same positions as an editor shows.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    starts = [0];
    let at = text.indexOf('\n');
    while (at !== -1) {
      starts.push(at + 1);
      at = text.indexOf('\n', at + 1);
    }
    this.starts = starts;
  }

  /**
   * The line index of `text`, which is `old`'s text with [start, end) replaced by `inserted`: only the
   * inserted text is looked at, the other line starts are kept or moved.
   */
  static edited(old: LineIndex, text: string, start: number, end: number, inserted: string): LineIndex {
    const delta = inserted.length - (end - start);
    const before = old.starts;
    const starts: number[] = [];
    let i = 0;
    while (i < before.length && (before[i] ?? 0) <= start) starts.push(before[i++] ?? 0);
    for (let at = inserted.indexOf('\n'); at !== -1; at = inserted.indexOf('\n', at + 1))
      starts.push(start + at + 1);
    // Lines that began inside the replaced stretch lost their line break.
    while (i < before.length && (before[i] ?? 0) <= end) i++;
    while (i < before.length) starts.push((before[i++] ?? 0) + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }

  /** End of a line's content, before its "\n" or "\r\n". */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    const character = Math.min(clamped, this.lineEnd(low)) - (this.starts[low] ?? 0);
    return { line: low, character };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.lineStart(position.line);
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}

export function contains(outer: Span, offset: number): boolean {
  return offset >= outer.start && offset <= outer.end;
}

export function intersects(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Number of Unicode code points in text[0, offset): what REFI-QDA and humans count. */
export function codePointCount(text: string, start = 0, end = text.length): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < end) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
