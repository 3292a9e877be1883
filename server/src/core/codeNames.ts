/**
 * Code names: `#` then letters, digits, combining marks, `_`, `-`, with `/` between path parts.
 * Two spellings are the same code when they are equal after Unicode NFC normalisation.
 */

const codeCharPattern = /^[\p{L}\p{N}\p{M}_\-/]$/u;

/** Whether the code point may appear in a code name (after the `#`). */
export function isCodeChar(codePoint: number): boolean {
  if (codePoint < 128) {
    return (
      (codePoint >= 97 && codePoint <= 122) ||
      (codePoint >= 65 && codePoint <= 90) ||
      (codePoint >= 48 && codePoint <= 57) ||
      codePoint === 95 ||
      codePoint === 45 ||
      codePoint === 47
    );
  }
  return codeCharPattern.test(String.fromCodePoint(codePoint));
}

/** The canonical form of a code name, without its `#`. */
export function normalizeCode(name: string): string {
  // Plain ASCII is already NFC; skipping normalize() keeps the scanner's hot path cheap.
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) > 127) return name.normalize('NFC');
  }
  return name;
}

/** Why a name is not a valid code name, or undefined when it is. */
export function codeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty code name: write a name after #';
  for (const char of name) {
    if (!isCodeChar(char.codePointAt(0) ?? 0)) {
      return `"${char}" cannot be part of a code name (use letters, digits, _ , - and / only)`;
    }
  }
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return `"${name}" has an empty part: "/" separates the parts of a code path`;
  }
  return undefined;
}

/** Lower case without diacritics: "Förtroende" and "fortroende" fold to the same key. */
export function foldCode(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('sv');
}

/** Damerau–Levenshtein distance (optimal string alignment), giving up once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  let previousPrevious = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (previousPrevious[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  return previous[b.length] ?? limit + 1;
}

export type SimilarityReason = 'case' | 'accents' | 'spelling';

export interface SimilarCode {
  name: string;
  reason: SimilarityReason;
}

/**
 * The known code an unknown name most likely meant: the same letters in another case, the same
 * letters without accents (å/a, ö/o), or a small typo (one edit for short names, two for long ones).
 */
export function findSimilarCode(name: string, known: Iterable<string>): SimilarCode | undefined {
  const folded = foldCode(name);
  const limit = name.length <= 5 ? 1 : 2;
  let best: SimilarCode | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    if (candidate === name) continue;
    const candidateFolded = foldCode(candidate);
    if (candidateFolded === folded) {
      const reason = candidate.toLocaleLowerCase('sv') === name.toLocaleLowerCase('sv') ? 'case' : 'accents';
      return { name: candidate, reason };
    }
    const distance = editDistance(folded, candidateFolded, Math.min(limit, bestDistance - 1));
    if (distance < bestDistance && distance <= limit) {
      bestDistance = distance;
      best = { name: candidate, reason: 'spelling' };
    }
  }
  return best;
}
