import { describe, expect, it } from 'vitest';
import {
  MAX_QUOTE_PAGE,
  matrixResult,
  projectInfo,
  quotePage,
  themeTreeResult,
} from '../../server/src/language/panel';
import { codebookForCounts, lines, workspace } from '../helpers/workspace';

const r1 = lines(
  '---',
  'participant: R1',
  'label: Respondent 1',
  'attributes:',
  '  yrke: psykolog',
  '---',
  '**R1:** [Vi ses]{#kontrakt #ramar} och [jag vet inte]{#osäkerhet}, [alls]{#osäkerhet}.',
  '[Hon lyssnar]{#förtroende}.',
);
const r2 = lines(
  '---',
  'participant: R2',
  'label: Respondent 2',
  'attributes:',
  '  yrke: läkare',
  '---',
  '**R2:** [Platsen]{#plattform} och [ovisst]{#osäkerhet} och [annat]{#annat}.',
);
// A second interview with R1: one more transcript, not one more participant.
const r1b = lines('---', 'participant: R1', '---', '[Igen]{#kontrakt}');

const study = () =>
  workspace({
    'codebook.md': codebookForCounts,
    'intervjuer/r1.md': r1,
    'intervjuer/r1b.md': r1b,
    'intervjuer/r2.md': r2,
    'memos/m.md': 'Se #kontrakt.',
  });

describe('projectInfo', () => {
  it('counts transcripts, distinct participants, segments and codes listed or used', () => {
    expect(projectInfo(study().index, true)).toEqual({
      uri: 'file:///project',
      title: 'Alliansen i terapi',
      transcripts: 3,
      participants: 2,
      segments: 8,
      // kontrakt, ramar, förtroende listed; osäkerhet and annat used; plattform counts as kontrakt.
      codes: 5,
      indexing: true,
    });
  });

  it('falls back to the folder name without a title or a codebook', () => {
    const ws = workspace({ 'r1.md': '[a]{#x}' });
    expect(projectInfo(ws.index, false)).toMatchObject({
      title: 'project',
      transcripts: 1,
      codes: 1,
      indexing: false,
    });
  });
});

describe('themeTreeResult', () => {
  it('returns the theme tree with rolled-up counts and support', () => {
    const result = themeTreeResult(study().index, false);
    const [gemensamt, skillnader] = result.themes;
    expect([gemensamt?.number, gemensamt?.segments, gemensamt?.participants, gemensamt?.supported]).toEqual([
      '1',
      3,
      2,
      true,
    ]);
    expect(gemensamt?.children[0]?.codes.map((c) => [c.name, c.segments, c.participants])).toEqual([
      ['kontrakt', 3, 2],
      ['ramar', 1, 1],
    ]);
    expect([skillnader?.segments, skillnader?.participants, skillnader?.supported]).toEqual([1, 1, false]);
    expect(result.project.title).toBe('Alliansen i terapi');
  });

  it('lists unlisted codes most used first, never aliases', () => {
    expect(themeTreeResult(study().index, false).unlistedCodes).toEqual([
      { name: 'osäkerhet', segments: 3, participants: 2 },
      { name: 'annat', segments: 1, participants: 1 },
    ]);
  });

  it('breaks ties between unlisted codes in Swedish order', () => {
    const ws = workspace({
      'codebook.md': codebookForCounts,
      'intervjuer/r1.md': '[a]{#ö} [b]{#z} [c]{#å} [d]{#a}',
    });
    expect(themeTreeResult(ws.index, false).unlistedCodes.map((c) => c.name)).toEqual(['a', 'z', 'å', 'ö']);
  });
});

describe('quotePage', () => {
  it('pages through quotes filtered by code, in transcript order', () => {
    const ws = study();
    const page = quotePage(ws.index, { code: 'osäkerhet', limit: 2 });
    expect(page.total).toBe(3);
    expect(page.items.map((q) => [q.text, q.label])).toEqual([
      ['jag vet inte', 'Respondent 1'],
      ['alls', 'Respondent 1'],
    ]);
    const next = quotePage(ws.index, { code: 'osäkerhet', limit: 2, offset: 2 });
    expect(next.items.map((q) => [q.text, q.label, q.attributes])).toEqual([
      ['ovisst', 'Respondent 2', { yrke: 'läkare' }],
    ]);
  });

  it('filters by theme, including subthemes and aliases', () => {
    expect(quotePage(study().index, { theme: '1' }).items.map((q) => q.text)).toEqual([
      'Vi ses',
      'Igen',
      'Platsen',
    ]);
  });

  describe('page size', () => {
    const many = Array.from({ length: MAX_QUOTE_PAGE + 20 }, (_, i) => `[citat ${i}]{#kontrakt}`).join('\n');
    const ws = workspace({ 'codebook.md': codebookForCounts, 'intervjuer/r1.md': many });

    it('is 100 by default', () => {
      expect(quotePage(ws.index, {}).items).toHaveLength(100);
    });

    it('is clamped to at most MAX_QUOTE_PAGE and at least one', () => {
      expect(MAX_QUOTE_PAGE).toBe(500);
      const huge = quotePage(ws.index, { limit: 1_000_000 });
      expect(huge.items).toHaveLength(MAX_QUOTE_PAGE);
      expect(huge.total).toBe(MAX_QUOTE_PAGE + 20);
      expect(quotePage(ws.index, { limit: 0 }).items).toHaveLength(1);
      expect(quotePage(ws.index, { limit: -5 }).items).toHaveLength(1);
    });

    it('reaches the last quotes through the offset', () => {
      const last = quotePage(ws.index, { limit: 1_000_000, offset: MAX_QUOTE_PAGE });
      expect(last.items.map((q) => q.text)).toEqual(
        Array.from({ length: 20 }, (_, i) => `citat ${MAX_QUOTE_PAGE + i}`),
      );
    });
  });
});

describe('matrixResult', () => {
  it('lists participants × themes, code frequencies with theme numbers, and co-occurrence', () => {
    const result = matrixResult(study().index);
    expect(result.participants.map((p) => [p.id, p.label])).toEqual([
      ['R1', 'Respondent 1'],
      ['R2', 'Respondent 2'],
    ]);
    expect(result.themes.map((t) => t.number)).toEqual(['1', '1.1', '2']);
    expect(result.counts).toEqual([
      [2, 2, 1],
      [1, 1, 0],
    ]);
    expect(result.codes).toEqual([
      { name: 'kontrakt', theme: '1.1', segments: 3, participants: 2 },
      { name: 'osäkerhet', segments: 3, participants: 2 },
      { name: 'annat', segments: 1, participants: 1 },
      { name: 'förtroende', theme: '2', segments: 1, participants: 1 },
      { name: 'ramar', theme: '1.1', segments: 1, participants: 1 },
    ]);
    expect(result.cooccurrence).toEqual([{ a: 'kontrakt', b: 'ramar', count: 1 }]);
  });

  it('is empty for an empty project', () => {
    expect(matrixResult(workspace({}).index)).toEqual({
      participants: [],
      themes: [],
      counts: [],
      codes: [],
      cooccurrence: [],
      version: expect.any(Number),
    });
  });
});
