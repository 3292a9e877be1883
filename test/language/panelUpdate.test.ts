import { describe, expect, it } from 'vitest';
import { matrixResult, panelUpdate, themeTreeResult } from '../../server/src/language/panel';
import { codebookForCounts, uriOf, workspace } from '../helpers/workspace';

/**
 * `kodkarta/panelUpdate`: after an edit a panel asks for what changed since the numbers it shows, and
 * gets the same numbers a full theme tree and matrix would give, for the themes, codes and participants
 * the edit touched.
 */

const r1 = '---\nparticipant: R1\n---\n**R1:** [Vi ses]{#kontrakt} och [hon lyssnar]{#förtroende}.\n';
const r2 = '---\nparticipant: R2\n---\n**R2:** [Platsen]{#kontrakt}.\n';

const study = () =>
  workspace({ 'codebook.md': codebookForCounts, 'intervjuer/r1.md': r1, 'intervjuer/r2.md': r2 });

describe('panelUpdate', () => {
  it('holds nothing when nothing changed', () => {
    const { index } = study();
    const update = panelUpdate(index, false, index.version);
    expect(update).toMatchObject({
      complete: true,
      themes: [],
      codes: [],
      matrixRows: [],
      version: index.version,
    });
  });

  it('gives the changed themes, codes and matrix row, with the numbers a full reload gives', () => {
    const { index } = study();
    const since = themeTreeResult(index, false).version ?? 0;
    index.update(uriOf('intervjuer/r2.md'), r2.replace('#kontrakt', '#förtroende'));
    const update = panelUpdate(index, false, since);
    expect(update.complete).toBe(true);
    expect(update.codes.map((c) => [c.name, c.segments, c.participants])).toEqual([
      ['förtroende', 2, 2],
      ['kontrakt', 1, 1],
    ]);
    const tree = themeTreeResult(index, false);
    const numbers = (node: {
      number: string;
      segments: number;
      participants: number;
      supported: boolean;
    }) => ({
      number: node.number,
      segments: node.segments,
      participants: node.participants,
      supported: node.supported,
    });
    const [gemensamt, skillnader] = tree.themes;
    const kontraktet = gemensamt?.children[0];
    if (!gemensamt || !skillnader || !kontraktet) throw new Error('themes missing');
    expect(update.themes).toEqual([numbers(gemensamt), numbers(kontraktet), numbers(skillnader)]);
    const matrix = matrixResult(index);
    const row = matrix.participants.findIndex((p) => p.id === 'R2');
    expect(update.matrixRows).toEqual([{ participant: 'R2', counts: matrix.counts[row] }]);
    // No pair of codes moved: the pairs are not sent again.
    expect(update.cooccurrence).toBeUndefined();
  });

  it('sends the code pairs again when a pair moved', () => {
    const { index } = study();
    const since = index.version;
    index.update(uriOf('intervjuer/r2.md'), r2.replace('{#kontrakt}', '{#kontrakt #ramar}'));
    const update = panelUpdate(index, false, since);
    expect(update.cooccurrence).toEqual(matrixResult(index).cooccurrence);
    expect(update.cooccurrence).toContainEqual({ a: 'kontrakt', b: 'ramar', count: 1 });
  });

  it('holds nothing after typing that moved no count', () => {
    const { index } = study();
    const since = index.version;
    index.update(uriOf('intervjuer/r1.md'), r1.replace('Vi ses', 'Vi ses varje vecka'));
    expect(panelUpdate(index, false, since)).toMatchObject({ complete: true, themes: [], codes: [] });
  });

  it('asks for a full reload when the codebook changed or transcripts came and went', () => {
    const edited = study();
    const since = edited.index.version;
    edited.index.update(uriOf('codebook.md'), codebookForCounts.replace('Tid och plats', 'Tid, plats'));
    expect(panelUpdate(edited.index, false, since).complete).toBe(false);
    const added = study();
    const before = added.index.version;
    added.index.update(uriOf('intervjuer/r3.md'), '---\nparticipant: R3\n---\n[Ny]{#ramar}\n');
    expect(panelUpdate(added.index, false, before).complete).toBe(false);
    expect(panelUpdate(added.index, true, added.index.version).complete).toBe(false);
  });
});
