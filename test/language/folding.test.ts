import { describe, expect, it } from 'vitest';
import { FoldingRangeKind } from 'vscode-languageserver';
import { foldingRanges } from '../../server/src/language/folding';
import { lines, workspace } from '../helpers/workspace';

const codebook = lines(
  '# 1 Gemensamt', //              0
  '', //                           1
  'Det som är lika.', //           2
  '', //                           3
  '## 1.1 Kontraktet', //          4
  '', //                           5
  '- #kontrakt: Tid och plats.', // 6
  '', //                           7
  '# 2 Skillnader', //             8
  '- #förtroende: Tillit.', //     9
  '# 3 Tom', //                    10
  '', //                           11
);
const transcript = lines(
  '---', //                              0
  'participant: R1', //                  1
  '---', //                              2
  '', //                                 3
  '# Intervju 1', //                     4
  '', //                                 5
  '**I:** Hur börjar ni?', //            6
  '', //                                 7
  '**R1:** [Vi ses varje]{#kontrakt}', // 8
  'vecka, och det', //                   9
  'håller.', //                          10
  '', //                                 11
  '## Del 2', //                         12
  '**R1:** Kort.', //                    13
  '', //                                 14
);

const ranges = (files: Record<string, string>, path: string) => {
  const ws = workspace(files);
  return foldingRanges(ws.index, ws.uri(path));
};

describe('folding a transcript', () => {
  it('folds the front matter, multi-line turns and heading sections, but not one-line turns', () => {
    expect(ranges({ 'codebook.md': codebook, 'r1.md': transcript }, 'r1.md')).toEqual([
      { startLine: 0, endLine: 2, kind: FoldingRangeKind.Region },
      { startLine: 8, endLine: 10 },
      { startLine: 4, endLine: 13 },
      { startLine: 12, endLine: 13 },
    ]);
  });

  it('ends a section before the next heading of its level, keeping that heading visible', () => {
    const text = lines('# A', 'ett', '## A.1', 'två', '# B', 'tre', 'fyra');
    expect(ranges({ 'r1.md': text }, 'r1.md')).toEqual([
      { startLine: 0, endLine: 3 },
      { startLine: 2, endLine: 3 },
      { startLine: 4, endLine: 6 },
    ]);
  });

  it('counts lines the same in a CRLF transcript', () => {
    const crlf = transcript.replace(/\n/g, '\r\n');
    expect(ranges({ 'codebook.md': codebook, 'r1.md': crlf }, 'r1.md')).toEqual(
      ranges({ 'codebook.md': codebook, 'r1.md': transcript }, 'r1.md'),
    );
  });

  it('folds nothing in a one-line transcript', () => {
    expect(ranges({ 'r1.md': '**R1:** [Ja]{#kontrakt}' }, 'r1.md')).toEqual([]);
  });
});

describe('folding the codebook', () => {
  it('folds every theme’s section up to the next heading of its level or above', () => {
    expect(ranges({ 'codebook.md': codebook }, 'codebook.md')).toEqual([
      { startLine: 0, endLine: 7 },
      { startLine: 4, endLine: 7 },
      { startLine: 8, endLine: 9 },
    ]);
  });

  it('folds nothing for a memo or a file outside the project', () => {
    expect(ranges({ 'codebook.md': codebook, 'memos/m.md': lines('# A', 'b', 'c') }, 'memos/m.md')).toEqual(
      [],
    );
    const ws = workspace({ 'codebook.md': codebook });
    expect(foldingRanges(ws.index, 'file:///elsewhere/codebook.md')).toEqual([]);
  });
});
