import { describe, expect, it } from 'vitest';
import { flattenThemes, sortParticipants, themeTree } from '../../server/src/core/analyses/themeTree';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import { fixtureDir, indexFiles, loadFixture } from '../helpers/project';

describe('themeTree', () => {
  const index = loadFixture(fixtureDir('study'));
  const tree = themeTree(index);
  const [ramar, narhet] = tree;
  const kontraktet = ramar?.children[0];

  it('has the main themes at the top and the subthemes as children', () => {
    expect(tree.map((node) => [node.number, node.name, node.depth])).toEqual([
      ['1', 'Ramar', 0],
      ['2', 'Närhet', 0],
    ]);
    expect(ramar?.children.map((node) => [node.number, node.name, node.depth])).toEqual([
      ['1.1', 'Kontraktet', 1],
      ['1.2', 'Förtroende', 1],
    ]);
    expect(narhet?.children).toEqual([]);
  });

  it('counts segments and distinct participants, rolled up from codes to themes', () => {
    expect(
      flattenThemes(tree).map((node) => [node.number, node.segments, node.participants, node.participantIds]),
    ).toEqual([
      ['1', 9, 3, ['R1', 'R2', 'R10']],
      ['1.1', 5, 3, ['R1', 'R2', 'R10']],
      ['1.2', 4, 3, ['R1', 'R2', 'R10']],
      ['2', 3, 2, ['R1', 'R2']],
    ]);
  });

  it('summarises each code of a theme, counting aliases for their code', () => {
    expect(kontraktet?.codes.map(({ range: _range, ...code }) => code)).toEqual([
      {
        name: 'kontrakt',
        definition: 'Uttalade överenskommelser om tid och plats.',
        aliases: ['överenskommelse'],
        theme: '1.1',
        segments: 3,
        participants: 2,
      },
      {
        name: 'arvode',
        definition: 'Vad det kostar och vem som betalar.',
        aliases: [],
        theme: '1.1',
        segments: 2,
        participants: 2,
      },
    ]);
    expect(ramar?.codes).toEqual([]);
  });

  it('gives definitions and the ranges of headings and code names', () => {
    expect(ramar?.definition).toBe('Det som håller relationen på plats.');
    expect(kontraktet?.definition).toBe('Överenskommelser om tid, plats och arvode.');
    expect(ramar?.range).toEqual({ start: { line: 6, character: 0 }, end: { line: 6, character: 9 } });
    expect(kontraktet?.codes[0]?.range).toEqual({
      start: { line: 14, character: 2 },
      end: { line: 14, character: 11 },
    });
  });

  it('marks a theme supported when it reaches min_participants', () => {
    expect(flattenThemes(tree).map((node) => [node.number, node.supported])).toEqual([
      ['1', true],
      ['1.1', true],
      ['1.2', true],
      ['2', true],
    ]);
    const strict = indexFiles({
      'codebook.md': '---\nmin_participants: 2\n---\n# A\n- #a: A.\n# B\n- #b: B.\n# C\n',
      'r1.md': '---\nparticipant: R1\n---\n[x]{#a} [y]{#b}\n',
      'r2.md': '---\nparticipant: R2\n---\n[z]{#a}\n',
    });
    expect(themeTree(strict).map((node) => [node.name, node.participants, node.supported])).toEqual([
      ['A', 2, true],
      ['B', 1, false],
      ['C', 0, false],
    ]);
  });

  it('does not call a theme without passages supported, even with min_participants 1', () => {
    const empty = indexFiles({ 'codebook.md': '# A\n- #a: A.\n' });
    expect(themeTree(empty)[0]?.supported).toBe(false);
  });

  it('is empty without a codebook', () => {
    expect(themeTree(new ProjectIndex('file:///tom'))).toEqual([]);
  });
});

describe('flattenThemes', () => {
  it('lists parents before their children, depth first', () => {
    const index = indexFiles({ 'codebook.md': '# A\n## A1\n### A1a\n## A2\n# B\n## B1\n' });
    expect(flattenThemes(themeTree(index)).map((node) => `${node.number} ${node.name}`)).toEqual([
      '1 A',
      '1.1 A1',
      '1.1.1 A1a',
      '1.2 A2',
      '2 B',
      '2.1 B1',
    ]);
  });
});

describe('sortParticipants', () => {
  it('sorts ids in natural order, so that R2 comes before R10', () => {
    expect(sortParticipants(['R10', 'R2', 'R1', 'r3', 'Å1', 'A1'])).toEqual([
      'A1',
      'R1',
      'R2',
      'r3',
      'R10',
      'Å1',
    ]);
  });
});
