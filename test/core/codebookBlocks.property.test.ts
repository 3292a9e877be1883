import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codebookBlocks, parseCodebook, plainBlocks } from '../../server/src/core/codebook';

/**
 * The codebook is read line by line when it is plain Markdown, and by remark otherwise. Wherever the line
 * reader answers, it must give remark's blocks exactly (spans as mdast has them).
 */

const word = fc.constantFrom(
  'Tema',
  'Förtroende',
  'och',
  'så',
  'ramen',
  '#kontrakt',
  '#ö-kod',
  '*fet*',
  '`kod`',
  'a\\',
  'x  ',
  '\t',
  '\u00a0',
  '😀',
  '1.',
  '2024',
  '|',
  'e\u0301',
);
const words = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
const line = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 7 }), fc.constantFrom(' ', '  ', '\t', ''), words)
      .map(([n, sp, w]) => `${'#'.repeat(n)}${sp}${w}`),
  },
  { weight: 4, arbitrary: words.map((w) => `- ${w}`) },
  { weight: 2, arbitrary: words.map((w) => `- #kod-${w.length}: ${w}. Aliases: a, b`) },
  { weight: 3, arbitrary: words },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('  ', ' ', '    ', '      ', '\t'), words).map(([i, w]) => i + w),
  },
  { weight: 3, arbitrary: fc.constantFrom('', '', '  ') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '---',
      '===',
      '> citat',
      '```',
      '~~~',
      '<!-- x -->',
      '* stjärna',
      '+ plus',
      '1. ett',
      '1) ett',
      '[x]: /y',
      '- - -',
      '-',
      '- ',
      '  - nästlad',
      '#',
      '# ',
      '## Rubrik ##',
      '_ _ _',
      'Tema\r',
      '    kod',
    ),
  },
);

const codebook = fc
  .tuple(
    fc.array(line, { maxLength: 14 }),
    fc.constantFrom('', '---\ntitle: x\n---\n', '---\r\ntitle: x\r\n---\r\n', '\ufeff', '---\n---\n'),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([lines, head, eol, final]) => head + lines.join(eol) + (final ? eol : ''));

describe('codebook blocks', () => {
  it('are the same read line by line as with remark, whenever the line reader answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(codebook, (text) => {
        const plain = plainBlocks(text);
        if (!plain) return;
        answered++;
        expect(plain).toEqual(codebookBlocks(text, { remarkOnly: true }));
      }),
      { numRuns: 4000 },
    );
    expect(answered).toBeGreaterThan(400);
  });

  it('reads the example codebooks line by line, with the same result as remark', () => {
    for (const path of ['../../examples/alliance-study/codebook.md']) {
      const text = readFileSync(new URL(path, import.meta.url), 'utf8');
      expect(plainBlocks(text)).toBeDefined();
      expect(plainBlocks(text)).toEqual(codebookBlocks(text, { remarkOnly: true }));
      expect(parseCodebook('file:///c.md', text).themes.length).toBeGreaterThan(10);
    }
  });
});
