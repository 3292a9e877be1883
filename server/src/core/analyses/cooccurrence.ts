import type { ProjectIndex } from '../projectIndex';
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
  const count = (x: string, y: string) => {
    if (x === y) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = `${a}\u0000${b}`;
    const pair = counts.get(key);
    if (pair) pair.count++;
    else counts.set(key, { a, b, count: 1 });
  };
  const codesOf = (segment: Segment) => [...new Set(segment.codes.map((c) => index.resolveCode(c.name)))];
  for (const transcript of index.transcripts()) {
    const segments = transcript.segments;
    for (const segment of segments) {
      const codes = codesOf(segment);
      for (let i = 0; i < codes.length; i++)
        for (let j = i + 1; j < codes.length; j++) count(codes[i] ?? '', codes[j] ?? '');
    }
    forEachIntersectingPair(segments, (a, b) => {
      for (const x of codesOf(a)) for (const y of codesOf(b)) count(x, y);
    });
  }
  // Ties in name order, by both codes, so that the order never depends on the order of the transcripts.
  return [...counts.values()].sort((p, q) => q.count - p.count || compare(p.a, q.a) || compare(p.b, q.b));
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
