import type { StudyPassage } from './model';

/**
 * Writes coded passages into a text as Kodkarta markup: `[passage]{#code "note"}` where brackets can say
 * it, overlap markers `{#code>}` … `{<#code}` where passages cross.
 *
 * Brackets must nest: two crossing passages cannot both be brackets. Markers pair by code (a closing
 * marker closes the nearest open one for its code): two crossing passages that share a code cannot
 * both be markers. For each crossing pair that gives "not both brackets", and "not both markers" when
 * they share a code: a 2-SAT problem. It is solved by assigning passages in text order, outer ones
 * first, brackets preferred, each choice followed by unit propagation; for 2-SAT that never needs to
 * backtrack further. A passage that can take neither form (three crossing passages of one code) is
 * reported as not expressible.
 */

export type PassageForm = 'bracket' | 'marker';

export interface Arrangement {
  /** Indexed like the passages given; undefined for a passage that cannot be written. */
  forms: (PassageForm | undefined)[];
  /** Indexes of passages that cannot be written. */
  dropped: number[];
}

export function arrangePassages(
  passages: readonly StudyPassage[],
  skip: ReadonlySet<number> = new Set(),
  /** Passages that must be markers: brackets did not survive the text around them. */
  markers: ReadonlySet<number> = new Set(),
): Arrangement {
  const order = passageOrder(passages).filter((i) => !skip.has(i));
  const rank = new Map<number, number>();
  order.forEach((passage, k) => {
    rank.set(passage, k);
  });
  // Literal 2k: passage order[k] is a bracket; 2k + 1: it is a marker.
  const implications: number[][] = Array.from({ length: order.length * 2 }, () => []);
  for (let k = 0; k < order.length; k++) {
    const p = passages[order[k] ?? 0];
    if (!p) continue;
    for (let m = k + 1; m < order.length; m++) {
      const q = passages[order[m] ?? 0];
      if (!q || q.start >= p.end) break;
      if (!(p.start < q.start && p.end < q.end)) continue;
      // Crossing: not both brackets.
      implications[2 * k]?.push(2 * m + 1);
      implications[2 * m]?.push(2 * k + 1);
      if (p.codes.some((code) => q.codes.includes(code))) {
        // Sharing a code: not both markers.
        implications[2 * k + 1]?.push(2 * m);
        implications[2 * m + 1]?.push(2 * k);
      }
    }
  }

  const value: (boolean | undefined)[] = new Array(order.length).fill(undefined);
  const droppedRanks = new Set<number>();
  const propagate = (literal: number): boolean => {
    const trail: number[] = [];
    const queue = [literal];
    while (queue.length > 0) {
      const lit = queue.pop() ?? 0;
      const variable = lit >> 1;
      if (droppedRanks.has(variable)) continue;
      const wanted = (lit & 1) === 0;
      const current = value[variable];
      if (current === wanted) continue;
      if (current !== undefined) {
        for (const undo of trail) value[undo] = undefined;
        return false;
      }
      value[variable] = wanted;
      trail.push(variable);
      for (const next of implications[lit] ?? []) queue.push(next);
    }
    return true;
  };
  for (let k = 0; k < order.length; k++) {
    if (markers.has(order[k] ?? -1) && !propagate(2 * k + 1)) droppedRanks.add(k);
  }
  for (let k = 0; k < order.length; k++) {
    if (value[k] !== undefined || droppedRanks.has(k)) continue;
    if (!propagate(2 * k) && !propagate(2 * k + 1)) droppedRanks.add(k);
  }

  const forms: (PassageForm | undefined)[] = passages.map(() => undefined);
  const dropped: number[] = [];
  order.forEach((passage, k) => {
    if (droppedRanks.has(k)) dropped.push(passage);
    else forms[passage] = value[k] === false ? 'marker' : 'bracket';
  });
  return { forms, dropped: dropped.sort((a, b) => a - b) };
}

/** Passage indexes by start, longer first, then as given: the order brackets open in. */
function passageOrder(passages: readonly StudyPassage[]): number[] {
  return passages
    .map((_, i) => i)
    .sort((a, b) => {
      const p = passages[a];
      const q = passages[b];
      if (!p || !q) return 0;
      return p.start - q.start || q.end - p.end || a - b;
    });
}

interface Insertion {
  offset: number;
  /** 0 bracket close, 1 marker close, 2 marker open, 3 bracket open: the order at one offset. */
  kind: number;
  /** Closes inner first (rank descending); opens outer first (rank ascending). */
  rank: number;
  text: string;
}

/** The text with the passages written in as markup in the forms given. */
export function writePassages(
  text: string,
  passages: readonly StudyPassage[],
  forms: readonly (PassageForm | undefined)[],
): string {
  const order = passageOrder(passages);
  const insertions: Insertion[] = [];
  order.forEach((index, rank) => {
    const passage = passages[index];
    const form = forms[index];
    if (!passage || !form) return;
    const codes = passage.codes.map((code) => `#${code}`).join(' ');
    const note = passage.note ? ` "${passage.note}"` : '';
    if (form === 'bracket') {
      insertions.push({ offset: passage.start, kind: 3, rank, text: '[' });
      insertions.push({ offset: passage.end, kind: 0, rank: -rank, text: `]{${codes}${note}}` });
    } else {
      insertions.push({ offset: passage.start, kind: 2, rank, text: `{${codes}${note}>}` });
      insertions.push({ offset: passage.end, kind: 1, rank: -rank, text: `{<${codes}}` });
    }
  });
  insertions.sort((a, b) => a.offset - b.offset || a.kind - b.kind || a.rank - b.rank);
  const parts: string[] = [];
  let at = 0;
  for (const insertion of insertions) {
    parts.push(text.slice(at, insertion.offset), insertion.text);
    at = insertion.offset;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
