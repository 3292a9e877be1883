import { describe, expect, it } from 'vitest';
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { documentSymbols, workspaceSymbols } from '../../server/src/language/symbols';
import { locate } from '../helpers/locate';
import { lines, workspace } from '../helpers/workspace';

const codebook = lines(
  '---',
  'title: Alliansen',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  'Det som är lika.',
  '',
  '## 1.1 Kontraktet',
  '',
  '- #kontrakt: Överenskommelser om tid och plats. Aliases: plattform',
  '- #ramar: Ramen som håller.',
  '',
  '# 2 Förtroendet skiljer sig',
  '',
  '- #förtroende: Tillit till den andra parten.',
  '- #Fortsättning',
  '',
);
const r1 = lines(
  '---',
  'participant: R1',
  '---',
  '',
  '# Intervju 1',
  '',
  '**I:** Hur börjar ni?',
  '',
  '**R1:** [Vi ses]{#kontrakt #ramar #kontrakt} varje',
  'vecka och [jag litar på **henne**]{#förtroende}.',
  '',
  '## Efter pausen',
  '',
  '[Utan talare]{#ramar}',
  '',
);

const study = () => workspace({ 'codebook.md': codebook, 'r1.md': r1 });

/** Name, kind and children's names: the shape of an outline. */
type Outline = { name: string; kind: SymbolKind; children?: Outline[] };
const outline = (symbols: DocumentSymbol[]): Outline[] =>
  symbols.map((s) => ({
    name: s.name,
    kind: s.kind,
    ...(s.children?.length ? { children: outline(s.children) } : {}),
  }));

describe('document symbols of a transcript', () => {
  it('lists headings and speaker turns in order, with each turn’s coded segments inside it', () => {
    expect(outline(documentSymbols(study().index, 'file:///project/r1.md'))).toEqual([
      { name: 'Intervju 1', kind: SymbolKind.Namespace },
      { name: 'I: Hur börjar ni?', kind: SymbolKind.Event },
      {
        name: expect.stringMatching(/^R1: /),
        kind: SymbolKind.Event,
        children: [
          { name: '#kontrakt #ramar', kind: SymbolKind.Key },
          { name: '#förtroende', kind: SymbolKind.Key },
        ],
      },
      { name: 'Efter pausen', kind: SymbolKind.Namespace },
      { name: '#ramar', kind: SymbolKind.Key },
    ]);
  });

  it('gives ranges: a turn over its lines, a segment over its syntax, selected at its tag', () => {
    const symbols = documentSymbols(study().index, 'file:///project/r1.md');
    const turn = symbols[2];
    expect(turn?.range).toEqual({
      start: locate(r1, '**R1:**').start,
      end: locate(r1, 'henne**]{#förtroende}.').end,
    });
    expect(turn?.selectionRange).toEqual(locate(r1, '**R1:**'));
    expect(turn?.detail).toBe('R1');
    const segment = turn?.children?.[1];
    expect(segment?.range).toEqual(locate(r1, '[jag litar på **henne**]{#förtroende}'));
    expect(segment?.selectionRange).toEqual(locate(r1, '{#förtroende}'));
    expect(segment?.detail).toBe('jag litar på **henne**');
    expect(symbols[0]?.selectionRange).toEqual(locate(r1, 'Intervju 1'));
  });

  it('names a segment by its quote, shortened, with tags and line breaks folded away', () => {
    const long = `**R1:** [${'ord '.repeat(40)}[inre]{#ramar}\nslut]{#kontrakt}`;
    const ws = workspace({ 'codebook.md': codebook, 'r2.md': long });
    const [turn] = documentSymbols(ws.index, ws.uri('r2.md'));
    const detail = turn?.children?.[0]?.detail ?? '';
    expect(detail).toHaveLength(80);
    expect(detail.endsWith('…')).toBe(true);
    expect(detail).not.toContain('{');
    expect(turn?.children?.[1]?.detail).toBe('inre');
  });

  it('gives no symbols for a file outside the project', () => {
    expect(documentSymbols(study().index, 'file:///elsewhere/r1.md')).toEqual([]);
  });
});

describe('document symbols of the codebook', () => {
  it('nests themes and lists each theme’s codes before its subthemes', () => {
    const symbols = documentSymbols(study().index, 'file:///project/codebook.md');
    expect(outline(symbols)).toEqual([
      {
        name: '1 Gemensamt',
        kind: SymbolKind.Namespace,
        children: [
          {
            name: '1.1 Kontraktet',
            kind: SymbolKind.Namespace,
            children: [
              { name: '#kontrakt', kind: SymbolKind.Constant },
              { name: '#ramar', kind: SymbolKind.Constant },
            ],
          },
        ],
      },
      {
        name: '2 Förtroendet skiljer sig',
        kind: SymbolKind.Namespace,
        children: [
          { name: '#förtroende', kind: SymbolKind.Constant },
          { name: '#Fortsättning', kind: SymbolKind.Constant },
        ],
      },
    ]);
  });

  it('covers a theme’s section and selects its name; a code covers its item and selects #name', () => {
    const [first, second] = documentSymbols(study().index, 'file:///project/codebook.md');
    expect(first?.range).toEqual({
      start: locate(codebook, '# 1 Gemensamt').start,
      end: locate(codebook, '# 2').start,
    });
    expect(first?.selectionRange).toEqual(locate(codebook, 'Gemensamt'));
    const kontrakt = first?.children?.[0]?.children?.[0];
    expect(kontrakt?.range).toEqual(
      locate(codebook, '- #kontrakt: Överenskommelser om tid och plats. Aliases: plattform'),
    );
    expect(kontrakt?.selectionRange).toEqual(locate(codebook, '#kontrakt'));
    expect(kontrakt?.detail).toBe('Överenskommelser om tid och plats.');
    expect(second?.children?.[1]).not.toHaveProperty('detail');
  });
});

describe('workspace symbols', () => {
  const names = (query: string) => workspaceSymbols([study().index], query).map((s) => s.name);

  it('finds codes and themes ignoring case and accents', () => {
    expect(names('FORTROENDE')).toEqual(['2 Förtroendet skiljer sig', '#förtroende']);
    expect(names('#förtroende')).toEqual(['2 Förtroendet skiljer sig', '#förtroende']);
    expect(names('kontrakt')).toEqual(['1.1 Kontraktet', '#kontrakt']);
  });

  it('matches letters in order, not only a prefix', () => {
    expect(names('ktr')).toEqual(['1.1 Kontraktet', '#kontrakt']);
    expect(names('fsä')).toEqual(['#Fortsättning']);
    expect(names('xyz')).toEqual([]);
  });

  it('locates a code at its entry, with its theme as container', () => {
    const [symbol] = workspaceSymbols([study().index], 'ramar');
    expect(symbol).toEqual({
      name: '#ramar',
      kind: SymbolKind.Constant,
      location: { uri: 'file:///project/codebook.md', range: locate(codebook, '#ramar') },
      containerName: '1.1 Kontraktet',
    });
  });

  it('searches every project and returns everything for an empty query', () => {
    const other = workspace({ 'codebook.md': lines('# Annat', '', '- #kontroll: Styra.') });
    const all = workspaceSymbols([study().index, other.index], '');
    expect(all).toHaveLength(9);
    expect(workspaceSymbols([study().index, other.index], 'kontr').map((s) => s.name)).toEqual([
      '1.1 Kontraktet',
      '#kontrakt',
      '#kontroll',
    ]);
  });
});
