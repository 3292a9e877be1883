import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSimpleYaml, readFrontMatter } from '../../server/src/core/frontMatter';

/** Values that look harmless but mean something else in YAML, next to ordinary ones. */
const tricky = [
  'Respondent 5',
  'Åsa Öberg',
  'läkare',
  'intervjuer/**/*.md',
  '*.memo.md',
  '25',
  '007',
  '0',
  '-3',
  '+3',
  '1.5',
  '1e3',
  '.inf',
  '0x1F',
  'true',
  'True',
  'FALSE',
  'yes',
  'no',
  'on',
  'null',
  'Null',
  '~',
  'a: b',
  'kl 12:30',
  'C#',
  'a #kommentar',
  "Anna's",
  'säger "hej"',
  '"citerad"',
  "'enkel'",
  '[lista]',
  '{karta}',
  'a, b',
  '&ankare',
  '*alias',
  '!tagg',
  '|',
  '>',
  '%procent',
  '@at',
  '`kod`',
  '- streck',
  '-',
  '?',
  'slut:',
  'tab\there',
  'mellan  rum',
  'e\u0301',
  '\u00a0',
  'x\u2028y',
  '',
  ' ',
];

const key = fc.constantFrom(
  'participant',
  'label',
  'kön',
  'yrkesår',
  'I',
  'R5',
  'min_participants',
  'a-b',
  '1',
  'true',
  'null',
  '__proto__',
  'två ord',
  '-x',
  'ö',
);
const scalar = fc.constantFrom(...tricky);
const entry = fc.oneof(
  fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v}`),
  fc
    .tuple(
      key,
      fc.array(fc.tuple(key, scalar), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('  ', '    '),
    )
    .map(([k, items, pad]) => [`${k}:`, ...items.map(([ik, iv]) => `${pad}${ik}: ${iv}`)].join('\n')),
  fc
    .tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 }), fc.constantFrom('  ', ''))
    .map(([k, items, pad]) => [`${k}:`, ...items.map((item) => `${pad}- ${item}`)].join('\n')),
  fc.tuple(key).map(([k]) => `${k}:`),
  fc.constantFrom('# kommentar', '', '  ', 'key:value', ' indented: x', '\tflik: x'),
);

describe('front matter fast path', () => {
  it('reads exactly what the YAML parser reads whenever it answers', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.boolean(), (entries, crlf) => {
        let source = `${entries.join('\n')}\n`;
        if (crlf) source = source.replace(/\n/g, '\r\n');
        const fast = parseSimpleYaml(source);
        if (fast === undefined) return;
        const full = parse(source, { uniqueKeys: true, maxAliasCount: 0 }) ?? {};
        expect(fast).toEqual(full);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for the front matter projects write', () => {
    const source = [
      'participant: R5',
      'label: Respondent 5',
      'attributes:',
      '  yrke: läkare',
      '  yrkesår: 25',
      '  handleder: true',
      'speakers:',
      '  I: Intervjuare',
      '  R5: Respondent 5',
      'transcripts:',
      '  - intervjuer/*.md',
      '',
    ].join('\n');
    expect(parseSimpleYaml(source)).toEqual(parse(source));
    expect(parseSimpleYaml(source)).toBeDefined();
  });

  it('leaves everything unusual to the YAML parser, errors included', () => {
    for (const source of ['a: [1, 2]', 'a: b\na: c', 'a: "x"', 'a:\n  b:\n    c: d', 'a: 1.5', 'a: b # c']) {
      expect(parseSimpleYaml(source)).toBeUndefined();
    }
    const duplicate = readFrontMatter('---\na: b\na: c\n---\n');
    expect(duplicate.problems.length).toBeGreaterThan(0);
  });
});
