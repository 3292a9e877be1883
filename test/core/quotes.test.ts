import { describe, expect, it } from 'vitest';
import { findQuotes, type QuoteQuery } from '../../server/src/core/analyses/quotes';
import { fixtureDir, loadFixture } from '../helpers/project';

const index = loadFixture(fixtureDir('study'));

function texts(query: QuoteQuery = {}): string[] {
  return findQuotes(index, query).items.map((quote) => quote.text);
}

const all = [
  'Vi bestämde tiden tillsammans',
  'jag litar på att hon kommer',
  'Ramen är en omsorg, och arvodet är en del av den',
  'och arvodet är en del av den',
  'Det blev nära, nästan för nära',
  'Första gången vi SKRATTADE tillsammans',
  'Överenskommelsen om tiden var viktig',
  'Vi ses samma tid, och hon blir trygg',
  'och hon blir trygg när jag är där',
  // respondent-10 comes last: transcripts are in natural order of their paths.
  'Arvodet betalar kommunen',
  'jag vet inte om jag litar på dem',
];

describe('findQuotes', () => {
  it('without filters gives every coded passage, in transcript order, without tag syntax', () => {
    const page = findQuotes(index);
    expect(page.total).toBe(11);
    expect(page.offset).toBe(0);
    expect(page.items.map((quote) => quote.text)).toEqual(all);
  });

  it('describes a quote with its codes, themes, participant, attributes, speaker and note', () => {
    const quote = findQuotes(index).items[0];
    expect(quote).toEqual({
      uri: expect.stringMatching(/\/intervjuer\/respondent-1\.md$/),
      range: { start: { line: 15, character: 9 }, end: { line: 15, character: 38 } },
      text: 'Vi bestämde tiden tillsammans',
      codes: ['kontrakt'],
      themes: ['1.1'],
      participant: 'R1',
      label: 'Respondent 1',
      attributes: { yrke: 'psykolog', yrkesår: 12 },
      speaker: 'R1',
      note: 'första mötet',
    });
  });

  it('gives every theme a passage supports directly, and codes with aliases resolved', () => {
    const [both] = findQuotes(index, { text: 'nästan för nära' }).items;
    expect(both?.codes).toEqual(['närhet', 'tillit']);
    expect(both?.themes).toEqual(['2', '1.2']);
    const [alias] = findQuotes(index, { text: 'Överenskommelsen' }).items;
    expect(alias?.codes).toEqual(['kontrakt']);
    expect(alias?.note).toBeUndefined();
  });

  describe('filter by theme', () => {
    it('includes the quotes of the theme and of every theme below it', () => {
      expect(findQuotes(index, { theme: '1' }).total).toBe(9);
      expect(texts({ theme: '1' })).not.toContain('Första gången vi SKRATTADE tillsammans');
    });

    it('includes only the subtheme for a subtheme number', () => {
      expect(texts({ theme: '1.1' })).toEqual([
        'Vi bestämde tiden tillsammans',
        'Ramen är en omsorg, och arvodet är en del av den',
        'och arvodet är en del av den',
        'Överenskommelsen om tiden var viktig',
        'Arvodet betalar kommunen',
      ]);
      expect(texts({ theme: '2' })).toEqual([
        'Det blev nära, nästan för nära',
        'Första gången vi SKRATTADE tillsammans',
        'och hon blir trygg när jag är där',
      ]);
    });

    it('finds nothing for a theme number that does not exist', () => {
      expect(findQuotes(index, { theme: '7.1' })).toEqual({ total: 0, offset: 0, items: [] });
    });
  });

  it('filters by code, counting an alias as its code', () => {
    expect(texts({ code: 'kontrakt' })).toEqual([
      'Vi bestämde tiden tillsammans',
      'Ramen är en omsorg, och arvodet är en del av den',
      'Överenskommelsen om tiden var viktig',
    ]);
    expect(texts({ code: 'överenskommelse' })).toEqual([]);
  });

  it('filters by participant across all of their transcripts', () => {
    expect(texts({ participant: 'R2' })).toEqual([
      'Första gången vi SKRATTADE tillsammans',
      'Överenskommelsen om tiden var viktig',
      'Vi ses samma tid, och hon blir trygg',
      'och hon blir trygg när jag är där',
    ]);
    expect(findQuotes(index, { participant: 'R1' }).items.every((quote) => quote.participant === 'R1')).toBe(
      true,
    );
    expect(texts({ participant: 'R7' })).toEqual([]);
  });

  it('filters by attributes, comparing as text without regard to case or accents', () => {
    expect(findQuotes(index, { attributes: { yrke: 'läkare' } }).total).toBe(4);
    expect(findQuotes(index, { attributes: { yrke: 'LAKARE' } }).total).toBe(4);
    expect(findQuotes(index, { attributes: { yrke: 'psykolog' } }).total).toBe(7);
    expect(texts({ attributes: { yrke: 'psykolog', yrkesår: '5' } })).toEqual([
      'Arvodet betalar kommunen',
      'jag vet inte om jag litar på dem',
    ]);
    expect(findQuotes(index, { attributes: { kön: 'kvinna' } }).total).toBe(0);
  });

  it('searches the text without regard to case or accents', () => {
    expect(texts({ text: 'skrattade' })).toEqual(['Första gången vi SKRATTADE tillsammans']);
    expect(texts({ text: 'overenskommelsen' })).toEqual(['Överenskommelsen om tiden var viktig']);
    expect(texts({ text: 'LITAR' })).toEqual([
      'jag litar på att hon kommer',
      'jag vet inte om jag litar på dem',
    ]);
    expect(texts({ text: 'hon blir trygg när' })).toEqual(['och hon blir trygg när jag är där']);
    expect(texts({ text: 'finns inte' })).toEqual([]);
  });

  it('finds quotes with every word of the search, in any order and with any spacing', () => {
    expect(texts({ text: 'omsorg ramen' })).toEqual(['Ramen är en omsorg, och arvodet är en del av den']);
    expect(texts({ text: '  hon   TRYGG ' })).toEqual([
      'Vi ses samma tid, och hon blir trygg',
      'och hon blir trygg när jag är där',
    ]);
    expect(texts({ text: 'ramen kommunen' })).toEqual([]);
    expect(findQuotes(index, { text: '   ' }).total).toBe(11);
  });

  it('combines filters', () => {
    expect(texts({ theme: '1.2', participant: 'R1' })).toEqual([
      'jag litar på att hon kommer',
      'Det blev nära, nästan för nära',
    ]);
    expect(texts({ code: 'arvode', text: 'kommunen' })).toEqual(['Arvodet betalar kommunen']);
  });

  describe('paging', () => {
    it('returns one page and the total of all matches', () => {
      const page = findQuotes(index, { theme: '1', offset: 2, limit: 3 });
      expect(page.total).toBe(9);
      expect(page.offset).toBe(2);
      expect(page.items.map((quote) => quote.text)).toEqual(all.slice(2, 5));
    });

    it('pages through every match exactly once', () => {
      const seen: string[] = [];
      for (let offset = 0; offset < 11; offset += 4) seen.push(...texts({ offset, limit: 4 }));
      expect(seen).toEqual(all);
    });

    it('returns no items past the end, and none for limit 0, with the total still right', () => {
      expect(findQuotes(index, { offset: 20 })).toEqual({ total: 11, offset: 20, items: [] });
      expect(findQuotes(index, { limit: 0 })).toEqual({ total: 11, offset: 0, items: [] });
    });

    it('treats a negative offset as 0', () => {
      expect(findQuotes(index, { offset: -3, limit: 1 }).items.map((quote) => quote.text)).toEqual([all[0]]);
    });
  });
});
