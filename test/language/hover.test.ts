import { describe, expect, it } from 'vitest';
import { hover } from '../../server/src/language/hover';
import { cursorOn, locate } from '../helpers/locate';
import { codebookWithDefinitions, lines, type Workspace, workspace } from '../helpers/workspace';

const r1 = lines(
  '---',
  'participant: R1',
  'label: Respondent 1',
  '---',
  '',
  '**R1:** [Vi bestämmer tiden tillsammans]{#kontrakt #ramar}, och sen [paus] pratar vi.',
  '[Jag litar på henne]{#förtroende}.',
  '',
);
const r2 = lines(
  '---',
  'participant: R2',
  'label: Respondent 2',
  '---',
  '',
  '**R2:** [Platsen är fast]{#plattform}, och [jag vet inte]{#osäkerhet}.',
  '',
);

function study(files: Record<string, string> = {}): Workspace {
  return workspace({
    'codebook.md': codebookWithDefinitions,
    'intervjuer/r1.md': r1,
    'intervjuer/r2.md': r2,
    ...files,
  });
}

/** The hover's Markdown at the first character of `needle` (inside `within`) in a file. */
function hoverAt(ws: Workspace, path: string, needle: string, within?: string) {
  const result = hover(ws.index, ws.uri(path), cursorOn(ws.files[path] ?? '', needle, within));
  if (!result) return undefined;
  const contents = result.contents as { kind: string; value: string };
  expect(contents.kind).toBe('markdown');
  return { value: contents.value, range: result.range };
}

describe('hover on a code', () => {
  it('describes a code in a tag: theme path, definition, aliases, counts and an attributed quote', () => {
    const found = hoverAt(study(), 'intervjuer/r1.md', '#kontrakt');
    expect(found?.value.split('\n\n')).toEqual([
      '**#kontrakt**',
      '*1 Gemensamt › 1\\.1 Kontraktet*',
      'Uttalade överenskommelser om tid och plats\\.',
      'Aliases: #plattform',
      '2 segments · 2 participants',
      '> Vi bestämmer tiden tillsammans (Respondent 1)',
    ]);
    expect(found?.range).toEqual(locate(r1, '#kontrakt'));
  });

  it('describes a codebook entry the same way', () => {
    const found = hoverAt(study(), 'codebook.md', '#ramar');
    expect(found?.value).toContain('**#ramar**');
    expect(found?.value).toContain('Ramen som håller relationen\\.');
    expect(found?.value).toContain('1 segment · 1 participant');
    expect(found?.range).toEqual(locate(codebookWithDefinitions, '#ramar'));
  });

  it('describes a mention in a theme definition', () => {
    const found = hoverAt(study(), 'codebook.md', '#förtroende', 'se #förtroende');
    expect(found?.value).toContain('**#förtroende**');
    expect(found?.value).toContain('*2 Skillnader*');
    expect(found?.value).toContain('> Jag litar på henne (Respondent 1)');
  });

  it('shows an alias as alias → code, with the code’s counts', () => {
    const found = hoverAt(study(), 'intervjuer/r2.md', '#plattform');
    expect(found?.value.startsWith('**#plattform** → **#kontrakt** (alias)\n\n')).toBe(true);
    expect(found?.value).toContain('2 segments · 2 participants');
    expect(found?.range).toEqual(locate(r2, '#plattform'));
  });

  it('calls an unknown code inductive', () => {
    const found = hoverAt(study(), 'intervjuer/r2.md', '#osäkerhet');
    expect(found?.value.split('\n\n')).toEqual([
      '**#osäkerhet**',
      '*Not in the codebook: an inductive code.*',
      '1 segment · 1 participant',
      '> jag vet inte (Respondent 2)',
    ]);
  });

  it('counts an unused code as zero and shows no quote', () => {
    const found = hoverAt(study(), 'codebook.md', '#kontroll');
    expect(found?.value).toContain('0 segments · 0 participants');
    expect(found?.value).not.toContain('> ');
  });

  it('answers at the end of the code name, where a cursor stops after typing it', () => {
    const ws = study();
    const range = locate(r1, '#förtroende');
    expect(hover(ws.index, ws.uri('intervjuer/r1.md'), range.end)).toBeDefined();
  });

  it('answers nothing on transcript text, [paus] or the note of a tag', () => {
    const ws = study({ 'intervjuer/r3.md': lines('**R3:** [Text]{#ramar "en not"} och [paus].') });
    expect(hoverAt(ws, 'intervjuer/r1.md', 'bestämmer')).toBeUndefined();
    expect(hoverAt(ws, 'intervjuer/r1.md', 'paus')).toBeUndefined();
    expect(hoverAt(ws, 'intervjuer/r3.md', 'en not')).toBeUndefined();
    expect(hover(ws.index, 'file:///elsewhere/a.md', { line: 0, character: 0 })).toBeUndefined();
  });
});

describe('hover on a theme heading', () => {
  it('shows the theme, its parent path, definition, counts and codes', () => {
    const found = hoverAt(study(), 'codebook.md', 'Kontraktet', '## 1.1 Kontraktet');
    expect(found?.value.split('\n\n')).toEqual([
      '**1\\.1 Kontraktet**',
      '*1 Gemensamt*',
      'Överenskommelser om tid och plats\\.',
      '2 segments · 2 participants',
      'Codes: #kontrakt, #ramar',
    ]);
    expect(found?.range).toEqual(locate(codebookWithDefinitions, '## 1.1 Kontraktet'));
  });

  it('rolls a main theme’s counts up from its subthemes', () => {
    const found = hoverAt(study(), 'codebook.md', 'Gemensamt', '# 1 Gemensamt');
    expect(found?.value).toContain('2 segments · 2 participants');
    expect(found?.value).toContain('Det som är lika i båda relationerna, se \\#förtroende\\.');
  });
});

describe('hover escapes transcript text', () => {
  const hostile = lines(
    '---',
    'participant: R9',
    'label: "R9 <b>admin</b>"',
    '---',
    '',
    '**R9:** [Hon sa <img src=x onerror=alert(1)> och **fetstil** _kursiv_ ~~struken~~ [länk](http://x) `kod`]{#osäkerhet}',
    '',
  );

  it('escapes HTML, emphasis, links and code in the example quote and its attribution', () => {
    const ws = workspace({ 'codebook.md': codebookWithDefinitions, 'intervjuer/r9.md': hostile });
    const value = hoverAt(ws, 'intervjuer/r9.md', '#osäkerhet')?.value ?? '';
    const quote = value.split('\n\n').find((part) => part.startsWith('> ')) ?? '';
    expect(quote).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(quote).toContain('\\*\\*fetstil\\*\\*');
    expect(quote).toContain('\\_kursiv\\_');
    expect(quote).toContain('\\~\\~struken\\~\\~');
    expect(quote).toContain('\\[länk\\]\\(http://x\\)');
    expect(quote).toContain('\\`kod\\`');
    expect(quote).toContain('(R9 \\<b\\>admin\\</b\\>)');
    // Every Markdown or HTML special character in the quote is escaped: none stands alone.
    expect(quote.slice(2)).not.toMatch(/(^|[^\\])[<>*_`[\]~]/);
  });
});
