import type { ProjectIndex } from '../projectIndex';
import type { Segment } from '../transcript';

export interface CodePair {
  a: string;
  b: string;
  /** Passages coded with both: one span with both codes, or spans of each that nest or overlap. */
  count: number;
}

/** How often two codes are applied to the same or intersecting passages, most frequent first. */
export function codeCooccurrence(index: ProjectIndex): CodePair[] {
  const counts = new Map<string, CodePair>();
  const count = (x: string, y: string, times: number) => {
    if (x === y) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = `${a}\u0000${b}`;
    const pair = counts.get(key);
    if (pair) pair.count += times;
    else counts.set(key, { a, b, count: times });
  };
  for (const transcript of index.transcripts()) {
    const codesOf = transcript.segments.map((segment) => [
      ...new Set(segment.codes.map((c) => index.resolveCode(c.name))),
    ]);
    for (const codes of codesOf) {
      for (let i = 0; i < codes.length; i++)
        for (let j = i + 1; j < codes.length; j++) count(codes[i] ?? '', codes[j] ?? '', 1);
    }
    forEachWithOpenLabels(
      transcript.segments,
      (segment) => codesOf[segment.index] ?? [],
      (segment, open) => {
        for (const [x, times] of open) for (const y of codesOf[segment.index] ?? []) count(x, y, times);
      },
    );
  }
  // Ties in name order, by both codes, so that the order never depends on the order of the transcripts.
  return [...counts.values()].sort((p, q) => q.count - p.count || compare(p.a, q.a) || compare(p.b, q.b));
}

/** The passages that hold text, by start: an empty passage shares text with none. */
export function passagesByStart(segments: readonly Segment[]): Segment[] {
  return segments.filter((s) => s.text.end > s.text.start).sort((a, b) => a.text.start - b.text.start);
}

/**
 * Calls `visit` for each passage, in order of start, with the labels of the passages that started before
 * it and are still open where it starts, and how many carry each: so every pair of passages that share
 * text is seen once, from the later one. `labelsOf` lists each label of a segment once. Deep nesting
 * costs the number of distinct open labels, not of open passages.
 */
export function forEachWithOpenLabels<L>(
  segments: readonly Segment[],
  labelsOf: (segment: Segment) => readonly L[],
  visit: (segment: Segment, open: ReadonlyMap<L, number>) => void,
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
