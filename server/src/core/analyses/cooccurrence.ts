import type { ProjectIndex } from '../projectIndex';
import type { Segment } from '../transcript';

export interface CodePair {
  a: string;
  b: string;
  /** Passages coded with both: one span with both codes, or spans of each that nest or overlap. */
  count: number;
}

/**
 * How often two codes are applied to the same or intersecting passages, most frequent first; at most
 * `limit` pairs. Kept up to date by the index as transcripts change, so this only sorts.
 */
export function codeCooccurrence(index: ProjectIndex, limit = Number.POSITIVE_INFINITY): CodePair[] {
  // Ties in name order, by both codes, so that the order never depends on the order of the transcripts.
  const order = (p: CodePair, q: CodePair) => q.count - p.count || compare(p.a, q.a) || compare(p.b, q.b);
  if (limit === Number.POSITIVE_INFINITY) return index.codePairs().sort(order);
  // The most frequent `limit`: only pairs at least as frequent as the limit-th are named and sorted.
  const counts = index.codePairCounts();
  if (counts.length <= limit) return index.codePairs().sort(order).slice(0, limit);
  const sorted = Float64Array.from(counts).sort();
  const threshold = sorted[sorted.length - limit] ?? 0;
  return index.codePairs(threshold).sort(order).slice(0, limit);
}

/** What the passage helpers need of a segment: its position in the transcript and where its text is. */
export type Passage = Pick<Segment, 'index' | 'text'>;

/** The passages that hold text, by start: an empty passage shares text with none. */
export function passagesByStart<P extends Passage>(segments: readonly P[]): P[] {
  return segments.filter((s) => s.text.end > s.text.start).sort((a, b) => a.text.start - b.text.start);
}

/**
 * Calls `visit` for each passage, in order of start, with the labels of the passages that started before
 * it and are still open where it starts, and how many carry each: so every pair of passages that share
 * text is seen once, from the later one. `labelsOf` lists each label of a segment once. Deep nesting
 * costs the number of distinct open labels, not of open passages.
 */
export function forEachWithOpenLabels<L, P extends Passage>(
  segments: readonly P[],
  labelsOf: (segment: P) => readonly L[],
  visit: (segment: P, open: ReadonlyMap<L, number>) => void,
): void {
  const byStart = passagesByStart(segments);
  const byEnd = [...byStart].sort((a, b) => a.text.end - b.text.end);
  const open = new Map<L, number>();
  let closed = 0;
  for (const segment of byStart) {
    // A passage that ends before this one starts has started before it too: it is among the open ones.
    for (let done = byEnd[closed]; done && done.text.end <= segment.text.start; done = byEnd[++closed]) {
      for (const label of labelsOf(done)) {
        const left = (open.get(label) ?? 1) - 1;
        if (left === 0) open.delete(label);
        else open.set(label, left);
      }
    }
    visit(segment, open);
    for (const label of labelsOf(segment)) open.set(label, (open.get(label) ?? 0) + 1);
  }
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
