import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import { matrixResult, panelUpdate, themeTreeResult } from '../../server/src/language/panel';
import type { MatrixResult, PanelUpdate, ThemeTreeResult } from '../../server/src/protocol';
import { affectsQuotes, applyPanelUpdate, shownVersion } from '../../webview/src/panelData';
import { codebookForPool, transcriptText } from '../helpers/transcripts';

/**
 * The panel follows edits by applying `kodkarta/panelUpdate` answers to the tree and matrix it shows.
 * Whatever the edits, what it then shows must equal a fresh tree and matrix; where it cannot apply an
 * update, it says so and reloads.
 */

const root = 'file:///studie';
const paths = ['intervjuer/r1.md', 'intervjuer/r2.md', 'intervjuer/r3.md'];

type Step =
  | { kind: 'write'; path: number; participant: number; text: string }
  | { kind: 'type'; path: number; at: number; remove: number; insert: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      path: fc.nat(paths.length - 1),
      participant: fc.nat(2),
      text: transcriptText.map((t) => t.text),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      path: fc.nat(paths.length - 1),
      at: fc.nat(),
      remove: fc.nat(3),
      insert: fc.constantFrom('a', ' ', '[', ']', '{#ramar}', ']{#kontrakt}', ']{#ny_kod}', '\n', '}', ''),
    }),
  },
);

function withParticipant(text: string, participant: number): string {
  const body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  return `---\nparticipant: R${participant + 1}\n---\n${body}`;
}

const copy = <T>(value: T): T => structuredClone(value);

describe('applyPanelUpdate', () => {
  it('makes the shown tree and matrix equal fresh ones after any edits, or asks for a reload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(2), { minLength: paths.length, maxLength: paths.length }),
        fc.array(transcriptText, { minLength: paths.length, maxLength: paths.length }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        (participants, texts, steps) => {
          const index = new ProjectIndex(root);
          const files = new Map<string, string>();
          index.update(`${root}/codebook.md`, codebookForPool);
          paths.forEach((path, i) => {
            const text = withParticipant(texts[i]?.text ?? '', participants[i] ?? 0);
            files.set(path, text);
            index.update(`${root}/${path}`, text);
          });
          let tree: ThemeTreeResult = copy(themeTreeResult(index, false));
          let matrix: MatrixResult = copy(matrixResult(index));
          for (const s of steps) {
            const path = paths[s.path] as string;
            const before = files.get(path) ?? '';
            if (s.kind === 'write') {
              const text = withParticipant(s.text, s.participant);
              files.set(path, text);
              index.update(`${root}/${path}`, text);
            } else {
              const start = Math.min(before.length, s.at % (before.length + 1));
              const end = Math.min(before.length, start + s.remove);
              const text = before.slice(0, start) + s.insert + before.slice(end);
              files.set(path, text);
              index.update(`${root}/${path}`, text, { open: true, edit: { start, end, text: s.insert } });
            }
            const since = shownVersion(tree, matrix) ?? 0;
            const update = copy(panelUpdate(index, false, since));
            if (!applyPanelUpdate(tree, matrix, update)) {
              // Only a change of who the participant is (or of the codebook) may need a reload.
              expect(update.complete).toBe(false);
              tree = copy(themeTreeResult(index, false));
              matrix = copy(matrixResult(index));
            }
            expect(tree).toEqual(themeTreeResult(index, false));
            expect(matrix).toEqual(matrixResult(index));
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('applies an update twice without harm: every number in it is absolute', () => {
    const index = new ProjectIndex(root);
    index.update(`${root}/codebook.md`, codebookForPool);
    const r1 = `${root}/intervjuer/r1.md`;
    index.update(r1, '---\nparticipant: R1\n---\n[Vi ses]{#kontrakt}\n');
    const tree = copy(themeTreeResult(index, false));
    const matrix = copy(matrixResult(index));
    const since = index.version;
    index.update(r1, '---\nparticipant: R1\n---\n[Vi ses]{#kontrakt} och [sen]{#ny}\n');
    const update = panelUpdate(index, false, since);
    expect(applyPanelUpdate(tree, matrix, copy(update))).toBe(true);
    expect(applyPanelUpdate(tree, matrix, copy(update))).toBe(true);
    expect(tree).toEqual(themeTreeResult(index, false));
    expect(matrix).toEqual(matrixResult(index));
    expect(tree.unlistedCodes).toEqual([{ name: 'ny', segments: 1, participants: 1 }]);
  });

  it('refuses an incomplete update, and one that names a participant the panel does not show', () => {
    const index = new ProjectIndex(root);
    index.update(`${root}/codebook.md`, codebookForPool);
    index.update(`${root}/intervjuer/r1.md`, '---\nparticipant: R1\n---\n[Vi ses]{#kontrakt}\n');
    const tree = copy(themeTreeResult(index, false));
    const matrix = copy(matrixResult(index));
    const since = index.version;
    index.update(`${root}/intervjuer/r2.md`, '---\nparticipant: R2\n---\n[Ja]{#ramar}\n');
    const incomplete = panelUpdate(index, false, since);
    expect(applyPanelUpdate(tree, matrix, incomplete)).toBe(false);
    const stranger = {
      ...incomplete,
      complete: true,
      matrixRows: [{ participant: 'R9', counts: [0, 0, 0] }],
    };
    expect(applyPanelUpdate(tree, matrix, stranger)).toBe(false);
  });

  it('knows no version until both the tree and the matrix came', () => {
    const index = new ProjectIndex(root);
    index.update(`${root}/codebook.md`, codebookForPool);
    const tree = themeTreeResult(index, false);
    expect(shownVersion(tree, null)).toBeUndefined();
    expect(shownVersion(tree, { ...matrixResult(index), version: 0 })).toBe(0);
  });
});

describe('affectsQuotes', () => {
  const update = (changes: Partial<PanelUpdate>): PanelUpdate => ({
    project: {
      uri: root,
      title: 't',
      transcripts: 1,
      participants: 1,
      segments: 1,
      codes: 1,
      indexing: false,
    },
    version: 2,
    complete: true,
    themes: [],
    codes: [],
    matrixRows: [],
    transcripts: [],
    ...changes,
  });
  const r1 = `${root}/intervjuer/r1.md`;
  const r2 = `${root}/intervjuer/r2.md`;
  const count = { segments: 1, participants: 1, supported: true };

  it('reloads the quotes when the selected theme or code moved', () => {
    const theme = { selection: { theme: '1.1' }, filters: {} };
    expect(affectsQuotes(update({ themes: [{ number: '1.1', ...count }] }), theme, new Set())).toBe(true);
    expect(affectsQuotes(update({ themes: [{ number: '2', ...count }] }), theme, new Set())).toBe(false);
    const code = { selection: { code: 'kontrakt' }, filters: {} };
    expect(
      affectsQuotes(update({ codes: [{ name: 'kontrakt', segments: 2, participants: 1 }] }), code, new Set()),
    ).toBe(true);
    expect(
      affectsQuotes(update({ codes: [{ name: 'ramar', segments: 2, participants: 1 }] }), code, new Set()),
    ).toBe(false);
  });

  it('reloads them when a listed quote’s transcript changed, or any did while a text search is on', () => {
    const state = { selection: { theme: '1' }, filters: {} };
    expect(affectsQuotes(update({ transcripts: [r1] }), state, new Set([r1]))).toBe(true);
    expect(affectsQuotes(update({ transcripts: [r2] }), state, new Set([r1]))).toBe(false);
    const searching = { selection: { theme: '1' }, filters: { text: 'vecka' } };
    expect(affectsQuotes(update({ transcripts: [r2] }), searching, new Set([r1]))).toBe(true);
  });

  it('leaves an empty quote list alone when nothing is selected', () => {
    const none = { filters: {} };
    expect(
      affectsQuotes(update({ transcripts: [r1], themes: [{ number: '1', ...count }] }), none, new Set([r1])),
    ).toBe(false);
  });

  it('names the transcripts whose text changed, counts moved or not', () => {
    const index = new ProjectIndex(root);
    index.update(`${root}/codebook.md`, codebookForPool);
    index.update(r1, '---\nparticipant: R1\n---\n[Vi ses]{#kontrakt}\n');
    index.update(r2, '---\nparticipant: R2\n---\n[Ja]{#ramar}\n');
    const since = index.version;
    index.update(r1, '---\nparticipant: R1\n---\n[Vi ses varje vecka]{#kontrakt}\n');
    const typed = panelUpdate(index, false, since);
    expect(typed.codes).toEqual([]);
    expect(typed.transcripts).toEqual([r1]);
  });
});
