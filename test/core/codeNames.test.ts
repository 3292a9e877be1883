import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codeNameProblem,
  editDistance,
  findSimilarCode,
  foldCode,
  isCodeChar,
  normalizeCode,
} from '../../server/src/core/codeNames';

const cp = (char: string) => char.codePointAt(0) ?? -1;

describe('isCodeChar', () => {
  it('accepts ASCII letters, digits, _, - and /', () => {
    for (const char of ['a', 'z', 'A', 'Z', '0', '9', '_', '-', '/']) expect(isCodeChar(cp(char))).toBe(true);
  });

  it('accepts Unicode letters, digits and combining marks', () => {
    for (const char of ['å', 'Ä', 'ö', 'é', 'ß', 'ж', '中', '٣', '\u0308']) {
      expect(isCodeChar(cp(char))).toBe(true);
    }
  });

  it('refuses punctuation, spaces, syntax characters and emoji', () => {
    for (const char of [
      ' ',
      '\t',
      '#',
      '{',
      '}',
      '[',
      ']',
      '"',
      '>',
      '<',
      '.',
      ',',
      ':',
      '!',
      '…',
      '😀',
      '\u00a0',
    ]) {
      expect(isCodeChar(cp(char))).toBe(false);
    }
  });
});

describe('normalizeCode', () => {
  it('turns a decomposed ö into the precomposed one', () => {
    const decomposed = 'fo\u0308rtroende';
    expect(decomposed).not.toBe('förtroende');
    expect(normalizeCode(decomposed)).toBe('förtroende');
  });

  it('leaves ASCII and NFC names unchanged', () => {
    expect(normalizeCode('kontrakt')).toBe('kontrakt');
    expect(normalizeCode('förtroende')).toBe('förtroende');
    expect(normalizeCode('allians/band')).toBe('allians/band');
  });

  it('agrees with String.prototype.normalize for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (name) => {
        expect(normalizeCode(name)).toBe(name.normalize('NFC'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('codeNameProblem', () => {
  it('accepts the names the format documents', () => {
    for (const name of [
      'förtroende',
      'dra-till-sig',
      'tema_2',
      'allians/band',
      'Förtroende',
      'fo\u0308rtroende',
    ]) {
      expect(codeNameProblem(name)).toBeUndefined();
    }
  });

  it('explains an empty name', () => {
    expect(codeNameProblem('')).toMatch(/empty code name/);
  });

  it('names the character that cannot be part of a code name', () => {
    expect(codeNameProblem('kod!')).toMatch(/"!" cannot be part of a code name/);
    expect(codeNameProblem('glad😀')).toMatch(/"😀" cannot be part/);
    expect(codeNameProblem('två.ord')).toMatch(/"\." cannot be part/);
  });

  it('reports empty parts of a code path', () => {
    for (const name of ['/allians', 'allians/', 'allians//band', '/']) {
      expect(codeNameProblem(name)).toMatch(/empty part/);
    }
  });
});

describe('foldCode', () => {
  it('removes case and accents', () => {
    expect(foldCode('Förtroende')).toBe('fortroende');
    expect(foldCode('fortroende')).toBe('fortroende');
    expect(foldCode('ÅTERKOPPLING')).toBe('aterkoppling');
  });

  it('folds a decomposed and a precomposed spelling to the same key', () => {
    expect(foldCode('fo\u0308rtroende')).toBe(foldCode('förtroende'));
  });
});

describe('editDistance', () => {
  it('is zero for equal strings', () => {
    expect(editDistance('kontrakt', 'kontrakt', 2)).toBe(0);
  });

  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('ramar', 'ramarr', 2)).toBe(1);
    expect(editDistance('ramar', 'rmar', 2)).toBe(1);
    expect(editDistance('ramar', 'ramor', 2)).toBe(1);
    expect(editDistance('kontrakt', 'kontakter', 3)).toBe(3);
  });

  it('counts a transposition of neighbours as one edit', () => {
    expect(editDistance('kontrakt', 'knotrakt', 2)).toBe(1);
    expect(editDistance('ab', 'ba', 1)).toBe(1);
  });

  it('handles empty strings', () => {
    expect(editDistance('', '', 0)).toBe(0);
    expect(editDistance('', 'ab', 2)).toBe(2);
    expect(editDistance('abc', '', 3)).toBe(3);
  });

  it('gives up with more than the limit when the strings are further apart', () => {
    expect(editDistance('a', 'abcdef', 2)).toBeGreaterThan(2);
    expect(editDistance('kontrakt', 'förtroende', 2)).toBeGreaterThan(2);
    expect(editDistance('abc', 'xyz', 1)).toBeGreaterThan(1);
  });

  it('is exact up to the limit and symmetric', () => {
    // Reference: the same optimal-string-alignment distance, computed without a limit.
    const reference = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          const row = d[i]!;
          const cost = a[i - 1] === b[j - 1] ? 0 : 1;
          row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
            row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
          }
        }
      }
      return d[a.length]![b.length]!;
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'å'), maxLength: 8 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
        const expected = reference(a, b);
        const actual = editDistance(a, b, limit);
        if (expected <= limit) expect(actual).toBe(expected);
        else expect(actual).toBeGreaterThan(limit);
        expect(editDistance(b, a, limit) <= limit).toBe(expected <= limit);
      }),
      { numRuns: 500 },
    );
  });
});

describe('findSimilarCode', () => {
  const known = ['förtroende', 'kontrakt', 'ramar', 'allians/band'];

  it('finds a code that differs only in case', () => {
    expect(findSimilarCode('Förtroende', known)).toEqual({ name: 'förtroende', reason: 'case' });
    expect(findSimilarCode('RAMAR', known)).toEqual({ name: 'ramar', reason: 'case' });
  });

  it('finds a code that differs only in accents', () => {
    expect(findSimilarCode('fortroende', known)).toEqual({ name: 'förtroende', reason: 'accents' });
    expect(findSimilarCode('Fortroende', known)).toEqual({ name: 'förtroende', reason: 'accents' });
  });

  it('allows two edits in names longer than five letters', () => {
    expect(findSimilarCode('kontrak', known)).toEqual({ name: 'kontrakt', reason: 'spelling' });
    expect(findSimilarCode('kontarktt', known)).toEqual({ name: 'kontrakt', reason: 'spelling' });
    expect(findSimilarCode('förtoende', known)).toEqual({ name: 'förtroende', reason: 'spelling' });
  });

  it('allows only one edit in names of up to five letters', () => {
    expect(findSimilarCode('ramr', known)).toEqual({ name: 'ramar', reason: 'spelling' });
    expect(findSimilarCode('rmr', known)).toBeUndefined();
  });

  it('prefers the closest of several candidates', () => {
    expect(findSimilarCode('ramarna', ['ramar', 'ramarn'])).toEqual({ name: 'ramarn', reason: 'spelling' });
  });

  it('finds nothing when no code is similar', () => {
    expect(findSimilarCode('skuld', known)).toBeUndefined();
    expect(findSimilarCode('kontrakt', [])).toBeUndefined();
  });

  it('does not suggest the name itself', () => {
    expect(findSimilarCode('ramar', known)).toBeUndefined();
  });
});
