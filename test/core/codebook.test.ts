import { describe, expect, it } from 'vitest';
import { type Codebook, parseCodebook } from '../../server/src/core/codebook';
import type { Span } from '../../server/src/core/text';

const uri = 'file:///project/codebook.md';

function parse(text: string): Codebook {
  return parseCodebook(uri, text);
}

function textOf(codebook: Codebook, span: Span): string {
  return codebook.text.slice(span.start, span.end);
}

function problemsOf(codebook: Codebook) {
  return codebook.problems.map((problem) => ({ rule: problem.rule, text: textOf(codebook, problem.span) }));
}

describe('themes from headings', () => {
  const codebook = parse(
    [
      '# Gemensamt',
      '## Kontraktet',
      '## Förtroende',
      '### Delgivande',
      '#### Skam',
      '# Unikt för terapin',
      '## Intimitet',
      '',
    ].join('\n'),
  );

  it('makes one theme per heading, in document order', () => {
    expect(codebook.themes.map((theme) => theme.name)).toEqual([
      'Gemensamt',
      'Kontraktet',
      'Förtroende',
      'Delgivande',
      'Skam',
      'Unikt för terapin',
      'Intimitet',
    ]);
    expect(codebook.themes.map((theme) => theme.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('takes the heading level from the number of #, and the depth from the nesting', () => {
    expect(codebook.themes.map((theme) => theme.level)).toEqual([1, 2, 2, 3, 4, 1, 2]);
    expect(codebook.themes.map((theme) => theme.depth)).toEqual([0, 1, 1, 2, 3, 0, 1]);
  });

  it('links parents and children', () => {
    expect(codebook.themes.map((theme) => theme.parent)).toEqual([undefined, 0, 0, 2, 3, undefined, 5]);
    expect(codebook.themes[0]?.children).toEqual([1, 2]);
    expect(codebook.themes[2]?.children).toEqual([3]);
    expect(codebook.themes[6]?.children).toEqual([]);
  });

  it('numbers themes by their place when no numbers are written', () => {
    expect(codebook.themes.map((theme) => theme.number)).toEqual([
      '1',
      '1.1',
      '1.2',
      '1.2.1',
      '1.2.1.1',
      '2',
      '2.1',
    ]);
    expect(codebook.themes.every((theme) => theme.writtenNumber === undefined)).toBe(true);
    expect(codebook.problems).toEqual([]);
  });

  it('gives spans for the heading line and the name', () => {
    const theme = codebook.themes[3];
    expect(theme && textOf(codebook, theme.heading)).toBe('### Delgivande');
    expect(theme && textOf(codebook, theme.nameSpan)).toBe('Delgivande');
  });
});

describe('written theme numbers', () => {
  it('recognises a leading number, with or without a trailing dot, and keeps it out of the name', () => {
    const codebook = parse('# 1 Gemensamt\n\n## 1.1. Kontraktet\n\n### 1.1.1 Tid och plats\n');
    expect(codebook.themes.map((theme) => [theme.writtenNumber, theme.number, theme.name])).toEqual([
      ['1', '1', 'Gemensamt'],
      ['1.1', '1.1', 'Kontraktet'],
      ['1.1.1', '1.1.1', 'Tid och plats'],
    ]);
    expect(codebook.themes.map((theme) => textOf(codebook, theme.nameSpan))).toEqual([
      'Gemensamt',
      'Kontraktet',
      'Tid och plats',
    ]);
    expect(codebook.problems).toEqual([]);
  });

  it('does not take a number that is part of the name for a theme number', () => {
    const codebook = parse('# 2000-talets terapi\n\n# 3D-modeller\n');
    expect(codebook.themes.map((theme) => [theme.writtenNumber, theme.name])).toEqual([
      [undefined, '2000-talets terapi'],
      [undefined, '3D-modeller'],
    ]);
  });

  it('reports a written number that disagrees with the place, marking only the number', () => {
    const codebook = parse('# 1 Gemensamt\n\n# 3 Terapin\n\n## 3.1 Intimitet\n\n## 2.5. Barn-förälder\n');
    expect(codebook.themes.map((theme) => theme.number)).toEqual(['1', '2', '2.1', '2.2']);
    expect(problemsOf(codebook)).toEqual([
      { rule: 'theme-numbering', text: '3' },
      { rule: 'theme-numbering', text: '3.1' },
      { rule: 'theme-numbering', text: '2.5' },
    ]);
    expect(codebook.problems[0]?.message).toBe(
      '"Terapin" is numbered 3 but is theme 2 by its place in the codebook',
    );
    expect(codebook.problems[0]?.data).toEqual({ theme: '2' });
  });

  it('marks the number even when several spaces follow it', () => {
    const codebook = parse('# 1 Gemensamt\n\n#   4    Terapin\n');
    expect(problemsOf(codebook)).toEqual([{ rule: 'theme-numbering', text: '4' }]);
    expect(codebook.themes[1]?.name).toBe('Terapin');
  });
});

describe('theme definitions and sections', () => {
  const text = [
    '# 1 Gemensamt',
    '',
    'Det som är lika i båda relationerna.',
    'Fortsätter på nästa rad.',
    '',
    'Hit hör inte alliansbrott, se #alliansbrott.',
    '',
    '## 1.1 Kontraktet',
    '',
    'Överenskommelser om tid och plats.',
    '',
    '- #kontrakt: Uttalade överenskommelser.',
    '- Gränsfall: arvode räknas hit.',
    '',
    '# 2 Terapin',
    '',
  ].join('\n');
  const codebook = parse(text);
  const [main, sub, second] = codebook.themes;

  it('joins the paragraphs under a heading into its definition', () => {
    expect(main?.definition).toBe(
      'Det som är lika i båda relationerna.\nFortsätter på nästa rad.\n\nHit hör inte alliansbrott, se #alliansbrott.',
    );
  });

  it('adds list items that do not start with a code to the definition', () => {
    expect(sub?.definition).toBe('Överenskommelser om tid och plats.\n\n- Gränsfall: arvode räknas hit.');
    expect(sub?.codes.map((code) => code.name)).toEqual(['kontrakt']);
  });

  it('leaves a theme without paragraphs with an empty definition', () => {
    expect(second?.definition).toBe('');
  });

  it('lets a section run to the next heading of the same or a higher level', () => {
    expect(main && textOf(codebook, main.section)).toBe(text.slice(0, text.indexOf('# 2 Terapin')));
    expect(sub && textOf(codebook, sub.section)).toBe(
      text.slice(text.indexOf('## 1.1'), text.indexOf('# 2 Terapin')),
    );
    expect(second?.section.end).toBe(text.length);
  });
});

describe('codes from list items', () => {
  const text = [
    '# 1 Gemensamt',
    '',
    '- #kontrakt: Uttalade överenskommelser om tid. Aliases: överenskommelse, plattform',
    '- #ramar - Ramen som håller relationen.',
    '- #närhet – Känslomässig närhet.',
    '- #lek Lekfullhet, att pröva tankar.',
    '- #insikt',
    '- #skam: Skam över misstag. Alias: #skuld.',
    '- #allians/band: En kod med sökväg.',
    '',
  ].join('\n');
  const codebook = parse(text);
  const codes = codebook.themes[0]?.codes ?? [];
  const byName = (name: string) => codes.find((code) => code.name === name);

  it('lists the codes of the theme in order', () => {
    expect(codes.map((code) => code.name)).toEqual([
      'kontrakt',
      'ramar',
      'närhet',
      'lek',
      'insikt',
      'skam',
      'allians/band',
    ]);
    expect(codes.every((code) => code.theme === 0)).toBe(true);
    expect([...codebook.codes.keys()]).toEqual(codes.map((code) => code.name));
  });

  it('accepts a colon, a dash or nothing between the name and the definition', () => {
    expect(byName('kontrakt')?.definition).toBe('Uttalade överenskommelser om tid.');
    expect(byName('ramar')?.definition).toBe('Ramen som håller relationen.');
    expect(byName('närhet')?.definition).toBe('Känslomässig närhet.');
    expect(byName('lek')?.definition).toBe('Lekfullhet, att pröva tankar.');
    expect(byName('insikt')?.definition).toBe('');
  });

  it('reads Aliases: and Alias: at the end, without # and trailing full stop', () => {
    expect(byName('kontrakt')?.aliases).toEqual(['överenskommelse', 'plattform']);
    expect(byName('skam')?.aliases).toEqual(['skuld']);
    expect(byName('ramar')?.aliases).toEqual([]);
    expect([...codebook.aliases]).toEqual([
      ['överenskommelse', 'kontrakt'],
      ['plattform', 'kontrakt'],
      ['skuld', 'skam'],
    ]);
  });

  it('gives the span of #name and of the whole item', () => {
    const ramar = byName('ramar');
    expect(ramar && textOf(codebook, ramar.nameSpan)).toBe('#ramar');
    expect(ramar && textOf(codebook, ramar.item)).toBe('- #ramar - Ramen som håller relationen.');
  });

  it('normalises a code name typed with a decomposed letter to NFC', () => {
    const decomposed = 'fo\u0308rtroende';
    const nfd = parse(`# 1 Förtroende\n\n- #${decomposed}: Tillit. Aliases: tillit\u030a\n`);
    const entry = nfd.themes[0]?.codes[0];
    expect(entry?.name).toBe('förtroende');
    expect(entry?.name).toBe('förtroende'.normalize('NFC'));
    expect(entry?.raw).toBe(decomposed);
    expect(nfd.codes.has('förtroende')).toBe(true);
    expect(entry?.aliases).toEqual(['tillit\u030a'.normalize('NFC')]);
  });

  it('does not take a list item that starts with other text, or a bare #, for a code', () => {
    const other = parse('# 1 Tema\n\n- Se även #ramar.\n- # inte en kod\n- **#fet**: inte heller\n');
    expect(other.codes.size).toBe(0);
    expect(other.themes[0]?.definition).toBe(
      '- Se även #ramar.\n\n- # inte en kod\n\n- **#fet**: inte heller',
    );
  });
});

describe('mentions of codes', () => {
  const text = [
    '# 1 Gemensamt',
    '',
    'Skiljer sig från #ramar, och se (#förtroende).',
    'Inte en mention: sida#ankare.',
    '',
    '- #kontrakt: Överenskommelser; jämför #ramar.',
    '- Obs: #lek hör till 1.5.',
    '',
  ].join('\n');
  const codebook = parse(text);

  it('finds #codes in definition paragraphs and in code definitions, not the listed name itself', () => {
    expect(codebook.mentions.map((mention) => mention.name)).toEqual(['ramar', 'förtroende', 'ramar', 'lek']);
    expect(codebook.mentions.map((mention) => textOf(codebook, mention.span))).toEqual([
      '#ramar',
      '#förtroende',
      '#ramar',
      '#lek',
    ]);
  });

  it('places each mention at its own offset', () => {
    const second = codebook.mentions[2];
    expect(second?.span.start).toBe(text.indexOf('#ramar', text.indexOf('jämför')));
  });
});

describe('settings from front matter', () => {
  it('uses the defaults without front matter', () => {
    const codebook = parse('# 1 Tema\n');
    expect(codebook.settings).toEqual({
      minParticipants: 1,
      transcripts: ['**/*.md'],
      exclude: [],
      memos: ['memos/**/*.md', '**/*.memo.md'],
      severity: {},
      overlapThreshold: 0.5,
    });
  });

  it('reads every key', () => {
    const codebook = parse(
      [
        '---',
        'title: Alliansen i terapi',
        'min_participants: 3',
        'transcripts: intervjuer/*.md',
        'exclude:',
        '  - intervjuer/mall.md',
        'memos: [anteckningar/*.md]',
        'severity:',
        '  unknown-code: info',
        '  unused-code: off',
        'overlap_threshold: 0.75',
        '---',
        '',
        '# 1 Tema',
        '',
      ].join('\n'),
    );
    expect(codebook.settings).toEqual({
      title: 'Alliansen i terapi',
      minParticipants: 3,
      transcripts: ['intervjuer/*.md'],
      exclude: ['intervjuer/mall.md'],
      memos: ['anteckningar/*.md'],
      severity: { 'unknown-code': 'info', 'unused-code': 'off' },
      overlapThreshold: 0.75,
    });
    expect(codebook.problems).toEqual([]);
    expect(codebook.themes.map((theme) => theme.name)).toEqual(['Tema']);
  });

  it.each([
    ['min_participants: 0', 'min_participants must be a whole number of 1 or more'],
    ['min_participants: 1.5', 'min_participants must be a whole number of 1 or more'],
    ['min_participants: två', 'min_participants must be a whole number of 1 or more'],
    ['transcripts: 5', 'transcripts must be a glob or a list of globs, e.g. "interviews/*.md"'],
    [
      'transcripts: [intervjuer/*.md, 5]',
      'transcripts must be a glob or a list of globs, e.g. "interviews/*.md"',
    ],
    ['exclude: {a: b}', 'exclude must be a glob or a list of globs, e.g. "interviews/*.md"'],
    ['memos: true', 'memos must be a glob or a list of globs, e.g. "interviews/*.md"'],
    ['overlap_threshold: 0', 'overlap_threshold must be a number above 0 and at most 1'],
    ['overlap_threshold: 1.5', 'overlap_threshold must be a number above 0 and at most 1'],
    ['overlap_threshold: hälften', 'overlap_threshold must be a number above 0 and at most 1'],
    ['severity: info', 'severity must map rule ids to error, warning, info, hint or off'],
    ['severity: {unknown-code: loud}', 'severity of unknown-code must be error, warning, info, hint or off'],
    ['severity: {no-such-rule: info}', 'unknown rule id "no-such-rule"'],
  ])('reports "%s" as an invalid setting and keeps the default', (line, message) => {
    const text = `---\n${line}\n---\n\n# 1 Tema\n`;
    const codebook = parse(text);
    expect(codebook.problems).toEqual([
      { rule: 'invalid-setting', span: { start: 0, end: text.indexOf('\n#') }, message },
    ]);
    const { title: _title, ...defaults } = parse('# 1 Tema\n').settings;
    expect(codebook.settings).toEqual(defaults);
  });

  it('keeps the valid settings next to an invalid one', () => {
    const codebook = parse('---\nmin_participants: -2\ntitle: Studie\ntranscripts: t/*.md\n---\n');
    expect(codebook.problems.map((problem) => problem.rule)).toEqual(['invalid-setting']);
    expect(codebook.settings.title).toBe('Studie');
    expect(codebook.settings.transcripts).toEqual(['t/*.md']);
    expect(codebook.settings.minParticipants).toBe(1);
  });

  it('reports front matter that is not a mapping as invalid-front-matter', () => {
    const codebook = parse('---\n- title\n- studie\n---\n\n# 1 Tema\n');
    expect(codebook.problems.map((problem) => problem.rule)).toEqual(['invalid-front-matter']);
    expect(codebook.themes).toHaveLength(1);
  });

  it('reports front matter that is not YAML as invalid-front-matter, inside the front matter', () => {
    const text = '---\ntitle: [unclosed\n---\n\n# 1 Tema\n';
    const codebook = parse(text);
    expect(codebook.problems.map((problem) => problem.rule)).toEqual(['invalid-front-matter']);
    const span = codebook.problems[0]?.span;
    expect(span && span.start >= '---\n'.length && span.end <= text.indexOf('\n\n#')).toBe(true);
    expect(codebook.settings.title).toBeUndefined();
    expect(codebook.themes.map((theme) => theme.name)).toEqual(['Tema']);
  });

  it('does not take the front matter for a theme or a definition', () => {
    const codebook = parse('---\ntitle: Studie\n---\n\n# 1 Tema\n\nDefinition.\n');
    expect(codebook.themes.map((theme) => [theme.name, theme.definition])).toEqual([['Tema', 'Definition.']]);
  });
});

describe('line endings and byte order marks', () => {
  const lf = [
    '---',
    'title: Studie',
    '---',
    '',
    '# 1 Gemensamt',
    '',
    'Det som är lika.',
    '',
    '## 1.1 Kontraktet',
    '',
    '- #kontrakt: Överenskommelser om tid. Aliases: plattform',
    '- #ramar: Ramen, se #kontrakt.',
    '',
    '# 3 Terapin',
    '',
  ].join('\n');

  function describeSpans(codebook: Codebook) {
    return {
      themes: codebook.themes.map((theme) => ({
        heading: textOf(codebook, theme.heading),
        name: textOf(codebook, theme.nameSpan),
        definition: theme.definition.replace(/\r/g, ''),
        section: textOf(codebook, theme.section).replace(/\r/g, ''),
      })),
      codes: [...codebook.codes.values()].flat().map((code) => ({
        name: textOf(codebook, code.nameSpan),
        definition: code.definition,
        aliases: code.aliases,
        item: textOf(codebook, code.item).replace(/\r/g, ''),
      })),
      mentions: codebook.mentions.map((mention) => textOf(codebook, mention.span)),
      problems: problemsOf(codebook),
      title: codebook.settings.title,
    };
  }

  const expected = describeSpans(parse(lf));

  it('reads an LF codebook as expected', () => {
    expect(expected.themes.map((theme) => theme.name)).toEqual(['Gemensamt', 'Kontraktet', 'Terapin']);
    expect(expected.codes.map((code) => code.name)).toEqual(['#kontrakt', '#ramar']);
    expect(expected.mentions).toEqual(['#kontrakt']);
    expect(expected.problems).toEqual([{ rule: 'theme-numbering', text: '3' }]);
    expect(expected.title).toBe('Studie');
  });

  it('gives a CRLF codebook the same themes, codes and spans', () => {
    const crlf = parse(lf.replace(/\n/g, '\r\n'));
    expect(describeSpans(crlf)).toEqual(expected);
    const theme = crlf.themes[1];
    expect(theme && crlf.lines.rangeOf(theme.heading)).toEqual({
      start: { line: 8, character: 0 },
      end: { line: 8, character: 17 },
    });
  });

  it('gives a codebook that starts with a BOM spans that point at the right text', () => {
    const bom = parse(`\uFEFF${lf}`);
    expect(describeSpans(bom)).toEqual(expected);
    expect(bom.themes[0]?.heading.start).toBe(lf.indexOf('# 1') + 1);
  });

  it('handles a BOM and CRLF together', () => {
    expect(describeSpans(parse(`\uFEFF${lf.replace(/\n/g, '\r\n')}`))).toEqual(expected);
  });
});

describe('codebook problems', () => {
  it('reports a second heading with the same name, ignoring case, with the first as related', () => {
    const codebook = parse('# 1 Ramar\n\n# 2 Tillit\n\n# 3 RAMAR\n');
    expect(problemsOf(codebook)).toEqual([{ rule: 'duplicate-theme', text: '# 3 RAMAR' }]);
    const problem = codebook.problems[0];
    expect(problem?.related?.map((related) => textOf(codebook, related.span))).toEqual(['# 1 Ramar']);
    expect(problem?.data).toEqual({ theme: '3' });
  });

  it('reports a code listed twice under one theme as duplicate-code', () => {
    const codebook = parse('# 1 Ramar\n\n- #kontrakt: En.\n- #kontrakt: Två.\n');
    expect(problemsOf(codebook)).toEqual([{ rule: 'duplicate-code', text: '#kontrakt' }]);
    expect(codebook.problems[0]?.span.start).toBe(codebook.text.lastIndexOf('#kontrakt'));
    expect(codebook.codes.get('kontrakt')).toHaveLength(2);
  });

  it('reports a code listed under several themes at every listing after the first', () => {
    const codebook = parse(
      '# 1 Ramar\n\n- #kontrakt: En.\n\n# 2 Tillit\n\n- #kontrakt: Två.\n\n# 3 Lek\n\n- #kontrakt: Tre.\n',
    );
    expect(problemsOf(codebook)).toEqual([
      { rule: 'code-in-several-themes', text: '#kontrakt' },
      { rule: 'code-in-several-themes', text: '#kontrakt' },
    ]);
    expect(codebook.problems[0]?.message).toBe(
      '#kontrakt is listed under 2 Tillit and under 1 Ramar: a code belongs to one theme',
    );
    expect(codebook.codes.get('kontrakt')?.map((entry) => entry.theme)).toEqual([0, 1, 2]);
  });

  it('reports a code listed before the first heading, and keeps it without a theme', () => {
    const codebook = parse('Inledning.\n\n- #bakgrund: Utbildning.\n\n# 1 Ramar\n\n- #kontrakt: En.\n');
    expect(problemsOf(codebook)).toEqual([{ rule: 'code-without-theme', text: '#bakgrund' }]);
    expect(codebook.codes.get('bakgrund')?.[0]?.theme).toBeUndefined();
    expect(codebook.themes[0]?.codes.map((code) => code.name)).toEqual(['kontrakt']);
    expect(codebook.themes[0]?.definition).toBe('');
  });

  it('reports a heading that skips a level, and still nests it under the heading above', () => {
    const codebook = parse('# 1 Ramar\n\n### 1.1 Tid\n\n## 1.2 Plats\n');
    expect(problemsOf(codebook)).toEqual([{ rule: 'theme-level-skipped', text: '### 1.1 Tid' }]);
    expect(codebook.problems[0]?.message).toBe(
      'heading level 3 under a level 1 heading: use ## for a subtheme of "Ramar"',
    );
    expect(codebook.themes.map((theme) => [theme.number, theme.parent, theme.depth])).toEqual([
      ['1', undefined, 0],
      ['1.1', 0, 1],
      ['1.2', 0, 1],
    ]);
  });

  it('reports a first heading below level 1', () => {
    const codebook = parse('## Ramar\n\n# Tillit\n');
    expect(problemsOf(codebook)).toEqual([{ rule: 'theme-level-skipped', text: '## Ramar' }]);
    expect(codebook.problems[0]?.message).toBe('the first theme heading should be level 1 (#), not ##');
    expect(codebook.themes.map((theme) => theme.number)).toEqual(['1', '2']);
  });

  it('reports nothing for a well-formed codebook', () => {
    const codebook = parse(
      '# 1 Ramar\n\nDefinition.\n\n## 1.1 Tid\n\n- #tid: Tiden.\n\n# 2 Tillit\n\n- #tillit: Tillit.\n',
    );
    expect(codebook.problems).toEqual([]);
  });
});
