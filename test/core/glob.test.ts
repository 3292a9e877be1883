import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from '../../server/src/core/glob';

const matches = (glob: string, path: string) => matchesAny(path, [globToRegExp(glob)]);

describe('globToRegExp', () => {
  it('* matches within one folder only', () => {
    expect(matches('intervjuer/*.md', 'intervjuer/r1.md')).toBe(true);
    expect(matches('intervjuer/*.md', 'intervjuer/.md')).toBe(true);
    expect(matches('intervjuer/*.md', 'intervjuer/gamla/r1.md')).toBe(false);
    expect(matches('*.md', 'intervjuer/r1.md')).toBe(false);
  });

  it('** matches any number of folders, including none', () => {
    expect(matches('**/*.md', 'r1.md')).toBe(true);
    expect(matches('**/*.md', 'a/b/c/r1.md')).toBe(true);
    expect(matches('intervjuer/**/*.md', 'intervjuer/r1.md')).toBe(true);
    expect(matches('intervjuer/**/*.md', 'intervjuer/2024/vår/r1.md')).toBe(true);
    expect(matches('intervjuer/**', 'intervjuer/2024/r1.md')).toBe(true);
    expect(matches('intervjuer/**/*.md', 'memos/r1.md')).toBe(false);
    expect(matches('**/*.md', 'r1.txt')).toBe(false);
  });

  it('? matches exactly one character, never a slash', () => {
    expect(matches('r?.md', 'r1.md')).toBe(true);
    expect(matches('r?.md', 'r12.md')).toBe(false);
    expect(matches('r?.md', 'r.md')).toBe(false);
    expect(matches('a?b', 'a/b')).toBe(false);
    expect(matches('r?.md', 'rå.md')).toBe(true);
  });

  it('{a,b} matches either alternative', () => {
    expect(matches('{intervjuer,samtal}/*.md', 'intervjuer/r1.md')).toBe(true);
    expect(matches('{intervjuer,samtal}/*.md', 'samtal/r1.md')).toBe(true);
    expect(matches('{intervjuer,samtal}/*.md', 'memos/r1.md')).toBe(false);
    expect(matches('r1.{md,markdown}', 'r1.markdown')).toBe(true);
  });

  it('[abc] matches one of the listed characters, and ranges', () => {
    expect(matches('r[123].md', 'r2.md')).toBe(true);
    expect(matches('r[123].md', 'r4.md')).toBe(false);
    expect(matches('r[0-9].md', 'r7.md')).toBe(true);
    expect(matches('r[0-9].md', 'rx.md')).toBe(false);
  });

  it('treats regular expression characters as literal', () => {
    expect(matches('a.md', 'a.md')).toBe(true);
    expect(matches('a.md', 'aXmd')).toBe(false);
    expect(matches('(r1)+.md', '(r1)+.md')).toBe(true);
    expect(matches('r$^|.md', 'r$^|.md')).toBe(true);
    expect(matches('a,b.md', 'a,b.md')).toBe(true);
  });

  it('ignores a leading ./', () => {
    expect(matches('./intervjuer/*.md', 'intervjuer/r1.md')).toBe(true);
  });

  it('matches the whole path, not a part of it', () => {
    expect(matches('r1.md', 'intervjuer/r1.md')).toBe(false);
    expect(matches('intervjuer', 'intervjuer/r1.md')).toBe(false);
  });

  it('matches a decomposed å in a file name against a typed one, and the other way round', () => {
    const typed = 'intervjuer/vår.md';
    const decomposed = 'intervjuer/va\u030ar.md';
    expect(matches(typed, decomposed)).toBe(true);
    expect(matches(decomposed, typed)).toBe(true);
    expect(matches('intervjuer/v?r.md', decomposed)).toBe(true);
    expect(matches('intervjuer/v[åä]r.md', decomposed)).toBe(true);
  });

  it('reads unbalanced or invalid syntax literally instead of throwing', () => {
    expect(matches('a}.md', 'a}.md')).toBe(true);
    expect(matches('{a,b}}.md', 'a}.md')).toBe(true);
    expect(matches('r[1.md', 'r[1.md')).toBe(true);
    expect(matches('r[z-a].md', 'r[z-a].md')).toBe(true);
    expect(matches('{a,b.md', 'b.md')).toBe(true);
  });

  it('never throws, whatever the pattern', () => {
    const char = fc.constantFrom(
      '*',
      '?',
      '{',
      '}',
      ',',
      '[',
      ']',
      '-',
      '\\',
      '/',
      '.',
      '(',
      ')',
      'a',
      'z',
      'å',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: char })), (glob) => {
        expect(globToRegExp(glob)).toBeInstanceOf(RegExp);
      }),
      { numRuns: 500 },
    );
  });
});

describe('matchesAny', () => {
  it('is true when any pattern matches', () => {
    const patterns = ['memos/**/*.md', '**/*.memo.md'].map(globToRegExp);
    expect(matchesAny('memos/fält/anteckningar.md', patterns)).toBe(true);
    expect(matchesAny('intervjuer/r1.memo.md', patterns)).toBe(true);
    expect(matchesAny('intervjuer/r1.md', patterns)).toBe(false);
    expect(matchesAny('intervjuer/r1.md', [])).toBe(false);
  });
});
