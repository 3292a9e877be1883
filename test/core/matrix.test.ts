import { describe, expect, it } from 'vitest';
import { participantThemeMatrix } from '../../server/src/core/analyses/matrix';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import { fixtureDir, indexFiles, loadFixture } from '../helpers/project';

describe('participantThemeMatrix', () => {
  const matrix = participantThemeMatrix(loadFixture(fixtureDir('study')));

  it('has one row per distinct participant, in natural order', () => {
    expect(matrix.participants.map((participant) => participant.id)).toEqual(['R1', 'R2', 'R10']);
    expect(matrix.participants[1]).toEqual({
      id: 'R2',
      label: 'Respondent 2',
      attributes: { yrke: 'Läkare', yrkesår: 25 },
    });
  });

  it('has one column per theme, depth first', () => {
    expect(matrix.themes).toEqual([
      { number: '1', name: 'Ramar', depth: 0 },
      { number: '1.1', name: 'Kontraktet', depth: 1 },
      { number: '1.2', name: 'Förtroende', depth: 1 },
      { number: '2', name: 'Närhet', depth: 0 },
    ]);
  });

  it('counts the segments of each participant per theme, rolled up like the theme tree', () => {
    expect(matrix.counts).toEqual([
      [5, 3, 2, 1],
      [2, 1, 1, 2],
      [2, 1, 1, 0],
    ]);
  });

  it('adds up to the theme totals', () => {
    const columnSums = matrix.themes.map((_, t) =>
      matrix.counts.reduce((sum, row) => sum + (row[t] ?? 0), 0),
    );
    expect(columnSums).toEqual([9, 5, 4, 3]);
  });

  it('lists participants even when they support no theme', () => {
    const index = indexFiles({
      'codebook.md': '# A\n- #a: A.\n',
      'r1.md': '---\nparticipant: R1\n---\n[x]{#okänd}\n',
    });
    expect(participantThemeMatrix(index)).toEqual({
      participants: [{ id: 'R1', label: 'R1', attributes: {} }],
      themes: [{ number: '1', name: 'A', depth: 0 }],
      counts: [[0]],
    });
  });

  it('is empty for an empty project', () => {
    expect(participantThemeMatrix(new ProjectIndex('file:///tom'))).toEqual({
      participants: [],
      themes: [],
      counts: [],
    });
  });
});
