import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { report } from '../../server/src/core/analyses/report';
import { parseCodebook } from '../../server/src/core/codebook';
import { type CliResult, cli, exampleStudy } from '../helpers/cli';
import { fixtureDir, indexFiles } from '../helpers/project';

const exampleCodebook = parseCodebook(
  'file:///codebook.md',
  readFileSync(join(exampleStudy, 'codebook.md'), 'utf8'),
);
/** The example's themes depth first, as the report lists them. */
const exampleThemes = (() => {
  const ordered: typeof exampleCodebook.themes = [];
  const visit = (indexes: number[]) => {
    for (const index of indexes) {
      const theme = exampleCodebook.themes[index];
      if (!theme) continue;
      ordered.push(theme);
      visit(theme.children);
    }
  };
  visit(exampleCodebook.themes.filter((theme) => theme.parent === undefined).map((theme) => theme.index));
  return ordered;
})();

/** The lines of a Markdown report from one heading up to the next heading. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('#'));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/**
 * Segments tagged with any of the names in the example's transcripts, counted from the raw text:
 * `]{…}` after a bracketed passage, `{#…>}` opening an overlapping one.
 */
function countTagged(names: string[]): number {
  const folder = join(exampleStudy, 'intervjuer');
  let count = 0;
  for (const file of readdirSync(folder)) {
    const text = readFileSync(join(folder, file), 'utf8');
    for (const [tag] of text.matchAll(/\]\{[^}\n]*\}|\{#[^}\n]*>\}/g)) {
      if (names.some((name) => new RegExp(`#${name}(?=[\\s">}])`, 'u').test(tag))) count++;
    }
  }
  return count;
}

describe('kodkarta report on the example study', () => {
  let result: CliResult = { code: -1, out: '', err: '' };
  let out = '';
  beforeAll(async () => {
    result = await cli(['report', 'examples/alliance-study']);
    out = result.out;
  });

  it('succeeds and writes the report to stdout', () => {
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(out.split('\n')[0]).toBe('# Alliansen i terapi och i handledning');
    expect(out).toMatch(/^24 themes, \d+ coded segments, 7 participants\.$/m);
  });

  it('lists all 24 themes of the codebook with their numbers, depth first, in the table', () => {
    expect(exampleThemes).toHaveLength(24);
    const rows = out.split('\n').filter((line) => /^\| \d/.test(line));
    expect(rows.map((row) => row.split(' | ')[0]?.slice(2))).toEqual(
      exampleThemes.map((theme) => theme.number),
    );
    expect(rows.map((row) => row.split(' | ')[0]?.slice(2))).toEqual([
      '1',
      '1.1',
      '1.2',
      '1.3',
      '1.4',
      '1.5',
      '1.6',
      '1.7',
      '2',
      '2.1',
      '2.1.1',
      '2.1.2',
      '2.2',
      '2.2.1',
      '2.2.2',
      '3',
      '3.1',
      '3.1.1',
      '3.1.2',
      '3.2',
      '3.2.1',
      '3.2.2',
      '3.3',
      '3.4',
    ]);
    for (const [i, theme] of exampleThemes.entries()) {
      expect(rows[i]).toMatch(
        new RegExp(
          `^\\| ${theme.number} \\| ${'&emsp;'.repeat(theme.depth)}${theme.name} \\| \\d+ \\| [1-7] \\|$`,
        ),
      );
    }
  });

  it('gives every theme a section with its counts', () => {
    for (const theme of exampleThemes) {
      const heading = `${'#'.repeat(theme.depth + 2)} ${theme.number} ${theme.name}`;
      const row = out.split('\n').find((line) => line.startsWith(`| ${theme.number} |`)) ?? '';
      const [, , segments, participants] = row.slice(2, -2).split(' | ');
      expect(section(out, heading)[1]).toBe(`*${segments} coded segments, ${participants} participants.*`);
    }
  });

  it('counts a code’s passages, its aliases included', () => {
    const kontrakt = countTagged(['kontrakt', 'överenskommelse', 'plattform']);
    const ramar = countTagged(['ramar']);
    expect(kontrakt).toBeGreaterThan(0);
    expect(section(out, '### 1.1 Kontraktet reglerar situationen och relationen')).toContain(
      `Codes: #kontrakt (${kontrakt}), #ramar (${ramar}).`,
    );
  });

  it('quotes passages with their attribution, under the theme of their code', () => {
    const quotes = out.split('\n').filter((line) => line.startsWith('>'));
    expect(quotes.length).toBeGreaterThan(24);
    for (const quote of quotes) expect(quote).toMatch(/^> ".+" \(Respondent [1-7]\)$/);
    expect(section(out, '### 1.1 Kontraktet reglerar situationen och relationen')).toContain(
      '> "Med patienterna bestämmer vi ju från början vilka dagar, vilken tid, vad det kostar och vad som gäller om man får förhinder. Det går jag igenom ganska noga första gångerna." (Respondent 1)',
    );
  });

  it('gives a main theme without codes of its own no quotes of its subthemes', () => {
    const main = section(out, '## 1 Gemensamt för den terapeutiska alliansen och handledningsalliansen');
    expect(main.filter((line) => line.startsWith('>'))).toEqual([]);
    expect(main).toContain(
      'Det som respondenterna beskriver som lika i båda relationerna: alliansen vilar på en överenskommelse,',
    );
  });
});

describe('kodkarta report --format json', () => {
  type Report = {
    title: string;
    participants: number;
    segments: number;
    themes: {
      number: string;
      name: string;
      segments: number;
      children: { number: string; children: unknown[] }[];
    }[];
    quotes: Record<string, { text: string; label: string; participant: string }[]>;
  };
  let code = -1;
  let data: Report = { title: '', participants: 0, segments: 0, themes: [], quotes: {} };
  beforeAll(async () => {
    const result = await cli(['report', exampleStudy, '--format', 'json']);
    code = result.code;
    data = JSON.parse(result.out) as Report;
  });

  it('prints parseable JSON with the title and totals', () => {
    expect(code).toBe(0);
    expect(data.title).toBe('Alliansen i terapi och i handledning');
    expect(data.participants).toBe(7);
    expect(data.segments).toBeGreaterThan(0);
  });

  it('has the 3 main themes with their subthemes as children', () => {
    expect(data.themes.map((theme) => theme.number)).toEqual(['1', '2', '3']);
    expect(data.themes.map((theme) => theme.children.map((child) => child.number))).toEqual([
      ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'],
      ['2.1', '2.2'],
      ['3.1', '3.2', '3.3', '3.4'],
    ]);
    expect(data.themes[1]?.children[0]?.children).toHaveLength(2);
  });

  it('has the quotes of every theme, keyed by number, with their attribution', () => {
    expect(Object.keys(data.quotes).sort()).toEqual(exampleThemes.map((theme) => theme.number).sort());
    expect(data.quotes['1']).toEqual([]);
    const first = data.quotes['1.1']?.[0];
    expect(first).toMatchObject({ participant: 'R1', label: 'Respondent 1' });
    expect(first?.text).toMatch(/^Med patienterna bestämmer vi ju/);
  });

  it('accepts --format=md as the default', async () => {
    const md = await cli(['report', exampleStudy, '--format=md']);
    const plain = await cli(['report', exampleStudy]);
    expect(md.out).toBe(plain.out);
  });
});

describe('report', () => {
  it('renders a small project exactly', async () => {
    const { code, out } = await cli(['report', fixtureDir('study')]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        '# Liten studie',
        '',
        '4 themes, 11 coded segments, 3 participants.',
        '',
        '| No. | Theme | Coded segments | Participants |',
        '|---|---|---:|---:|',
        '| 1 | Ramar | 9 | 3 |',
        '| 1.1 | &emsp;Kontraktet | 5 | 3 |',
        '| 1.2 | &emsp;Förtroende | 4 | 3 |',
        '| 2 | Närhet | 3 | 2 |',
        '',
        '## 1 Ramar',
        '',
        '*9 coded segments, 3 participants.*',
        '',
        'Det som håller relationen på plats.',
        '',
        '### 1.1 Kontraktet',
        '',
        '*5 coded segments, 3 participants.*',
        '',
        'Överenskommelser om tid, plats och arvode.',
        '',
        'Codes: #kontrakt (3), #arvode (2).',
        '',
        '> "Vi bestämde tiden tillsammans" (Respondent 1)',
        '',
        '> "Ramen är en omsorg, och arvodet är en del av den" (Respondent 1)',
        '',
        '> "och arvodet är en del av den" (Respondent 1)',
        '',
        '> "Överenskommelsen om tiden var viktig" (Respondent 2)',
        '',
        '> "Arvodet betalar kommunen" (Respondent 10)',
        '',
        '### 1.2 Förtroende',
        '',
        '*4 coded segments, 3 participants.*',
        '',
        'Codes: #tillit (4).',
        '',
        '> "jag litar på att hon kommer" (Respondent 1)',
        '',
        '> "Det blev nära, nästan för nära" (Respondent 1)',
        '',
        '> "Vi ses samma tid, och hon blir trygg" (Respondent 2)',
        '',
        '> "jag vet inte om jag litar på dem" (Respondent 10)',
        '',
        '## 2 Närhet',
        '',
        '*3 coded segments, 2 participants.*',
        '',
        'Känslomässig närhet i rummet.',
        '',
        'Codes: #närhet (2), #humor (1).',
        '',
        '> "Det blev nära, nästan för nära" (Respondent 1)',
        '',
        '> "Första gången vi SKRATTADE tillsammans" (Respondent 2)',
        '',
        '> "och hon blir trygg när jag är där" (Respondent 2)',
        '',
      ].join('\n'),
    );
  });

  it('uses a default title, singular counts, and escapes | in the table', () => {
    const index = indexFiles({
      'codebook.md': '# Ramar | regler\n\n- #ram: Ramen.\n\n# Tom\n',
      'r1.md': '---\nparticipant: R1\n---\n[Ramen håller]{#ram}\n',
    });
    const markdown = report(index, 'md');
    expect(markdown.split('\n').slice(0, 8)).toEqual([
      '# Kodkarta report',
      '',
      '2 themes, 1 coded segment, 1 participant.',
      '',
      '| No. | Theme | Coded segments | Participants |',
      '|---|---|---:|---:|',
      '| 1 | Ramar \\| regler | 1 | 1 |',
      '| 2 | Tom | 0 | 0 |',
    ]);
    expect(section(markdown, '## 1 Ramar | regler')).toEqual([
      '',
      '*1 coded segment, 1 participant.*',
      '',
      'Codes: #ram (1).',
      '',
      '> "Ramen håller" (R1)',
      '',
    ]);
    expect(section(markdown, '## 2 Tom')).toEqual(['', '*0 coded segments, 0 participants.*', '']);
  });

  it('exits 2 for --format other than md or json', async () => {
    const result = await cli(['report', exampleStudy, '--format', 'html']);
    expect(result).toEqual({ code: 2, out: '', err: 'kodkarta: --format must be md or json, not "html"\n' });
  });
});
