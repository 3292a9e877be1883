import { describe, expect, it } from 'vitest';
import { codeLenses } from '../../server/src/language/codeLens';
import { locate } from '../helpers/locate';
import { codebookForCounts, lines, workspace } from '../helpers/workspace';

const r1 = lines('---', 'participant: R1', '---', '[Vi ses]{#kontrakt #ramar} och [igen]{#kontrakt}.', '');
const r2 = lines('---', 'participant: R2', '---', '[Platsen]{#plattform} och [inget]{#annat}.', '');

const study = () =>
  workspace({ 'codebook.md': codebookForCounts, 'intervjuer/r1.md': r1, 'intervjuer/r2.md': r2 });

describe('code lenses', () => {
  it('puts segment and participant counts on every theme heading and code, rolled up to main themes', () => {
    const ws = study();
    const lenses = codeLenses(ws.index, ws.uri('codebook.md'));
    expect(
      lenses.map((lens) => [codebookForCounts.split('\n')[lens.range.start.line], lens.command?.title]),
    ).toEqual([
      ['# 1 Gemensamt', '3 segments · 2 participants'],
      ['## 1.1 Kontraktet', '3 segments · 2 participants'],
      ['- #kontrakt: Tid och plats. Aliases: plattform', '3 segments · 2 participants'],
      ['- #ramar: Ramen.', '1 segment · 1 participant'],
      ['# 2 Skillnader', '0 segments · 0 participants'],
      ['- #förtroende: Tillit.', '0 segments · 0 participants'],
    ]);
  });

  it('covers the heading for a theme and #name for a code', () => {
    const ws = study();
    const lenses = codeLenses(ws.index, ws.uri('codebook.md'));
    expect(lenses[1]?.range).toEqual(locate(codebookForCounts, '## 1.1 Kontraktet'));
    expect(lenses[2]?.range).toEqual(locate(codebookForCounts, '#kontrakt'));
  });

  it('opens the quotes of the theme by number or of the code by name', () => {
    const ws = study();
    const lenses = codeLenses(ws.index, ws.uri('codebook.md'));
    expect(lenses[1]?.command).toMatchObject({
      command: 'kodkarta.showQuotes',
      arguments: [{ project: 'file:///project', theme: '1.1' }],
    });
    expect(lenses[5]?.command).toMatchObject({
      command: 'kodkarta.showQuotes',
      arguments: [{ project: 'file:///project', code: 'förtroende' }],
    });
  });

  it('follows edits to transcripts', () => {
    const ws = study();
    ws.index.update(
      ws.uri('intervjuer/r2.md'),
      lines('---', 'participant: R2', '---', '[Tillit]{#förtroende}'),
    );
    const titles = codeLenses(ws.index, ws.uri('codebook.md')).map((lens) => lens.command?.title);
    expect(titles[0]).toBe('2 segments · 1 participant');
    expect(titles[4]).toBe('1 segment · 1 participant');
  });

  it('gives no lenses outside the codebook', () => {
    const ws = study();
    expect(codeLenses(ws.index, ws.uri('intervjuer/r1.md'))).toEqual([]);
    expect(codeLenses(workspace({ 'r1.md': r1 }).index, 'file:///project/codebook.md')).toEqual([]);
  });
});
