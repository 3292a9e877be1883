import type { ProjectIndex } from '../projectIndex';
import type { Span } from '../text';
import type { Segment } from '../transcript';

export interface CodePair {
  a: string;
  b: string;
  /** Passages coded with both: one span with both codes, or spans of each that nest or overlap. */
  count: number;
}

/**
 * Calls `visit` for every pair of segments whose passages share text, in either order once
 * (i < j). Segments come sorted by start, so the inner walk stops at the first one that starts after
 * segment i ends: the cost is the number of pairs that really intersect.
 */
export function forEachIntersectingPair(
  segments: readonly Segment[],
  visit: (a: Segment, b: Segment) => void,
): void {
  for (let i = 0; i < segments.length; i++) {
    const a = segments[i];
    if (!a) continue;
    for (let j = i + 1; j < segments.length; j++) {
      const b = segments[j];
      if (!b || b.text.start >= a.text.end) break;
      if (b.text.end > a.text.start) visit(a, b);
    }
  }
}

/** How often two codes are applied to the same or intersecting passages, most frequent first. */
export function codeCooccurrence(index: ProjectIndex): CodePair[] {
  const counts = new Map<string, CodePair>();
  for (const transcript of index.transcripts()) {
    const segments = transcript.segments;
    const codesOf = segments.map((segment) => [
      ...new Set(segment.codes.map((c) => index.resolveCode(c.name))),
    ]);
    const passages = new Map<string, PassageCounter>();
    for (const code of new Set(codesOf.flat())) {
      passages.set(code, new PassageCounter(segments.filter((_, i) => codesOf[i]?.includes(code))));
    }
    segments.forEach((segment, i) => {
      const codes = codesOf[i] ?? [];
      for (const a of codes) {
        for (const [b, passagesOfB] of passages) {
          if (b <= a) continue;
          // This passage once if it carries both codes, and each other passage with b that shares its text.
          const own = codes.includes(b) ? 1 : 0;
          const count = own + passagesOfB.sharing(segment.text) - (own && !isEmpty(segment.text) ? 1 : 0);
          if (count === 0) continue;
          const key = `${a}\u0000${b}`;
          const pair = counts.get(key);
          if (pair) pair.count += count;
          else counts.set(key, { a, b, count });
        }
      }
    });
  }
  // Ties in name order, by both codes, so that the order never depends on the order of the transcripts.
  return [...counts.values()].sort((p, q) => q.count - p.count || compare(p.a, q.a) || compare(p.b, q.b));
}

/**
 * The passages of some segments, sorted so that how many of them share text with a span is counted in
 * O(log n), however deeply they nest: those that start before the span ends, less those that end before
 * it starts. An empty passage shares text with none.
 */
export class PassageCounter {
  private readonly starts: number[];
  private readonly ends: number[];

  constructor(segments: readonly Segment[]) {
    const spans = segments.map((segment) => segment.text).filter((span) => !isEmpty(span));
    this.starts = spans.map((span) => span.start).sort((x, y) => x - y);
    this.ends = spans.map((span) => span.end).sort((x, y) => x - y);
  }

  sharing(span: Span): number {
    if (isEmpty(span)) return 0;
    return countBelow(this.starts, span.end) - countBelow(this.ends, span.start + 1);
  }
}

function isEmpty(span: Span): boolean {
  return span.end <= span.start;
}

/** How many of the sorted numbers are below `limit`. */
function countBelow(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] ?? 0) < limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
