import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeCooccurrence } from '../../server/src/core/analyses/cooccurrence';
import { projectFindings } from '../../server/src/core/analyses/findings';
import { participantThemeMatrix } from '../../server/src/core/analyses/matrix';
import { findQuotes } from '../../server/src/core/analyses/quotes';
import { themeTree } from '../../server/src/core/analyses/themeTree';
import { countsLine, readCounts } from '../../server/src/core/persistedIndex';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import type { TranscriptSummary } from '../../server/src/core/summary';
import { codebookForPool, transcriptText } from '../helpers/transcripts';

/**
 * The index moves its counts by what one file contributed before and after a change. Whatever the edits,
 * the counts must equal those of an index built from scratch from the same files; and an index that
 * keeps only one transcript parsed (re-parsing the others on demand) must answer exactly the same.
 */

const root = 'file:///studie';
const paths = ['intervjuer/r1.md', 'intervjuer/r2.md', 'intervjuer/r3.md', 'intervjuer/r10.md'];

/** The same codes in a different structure: a code moved, an alias added, a theme nested deeper. */
const otherCodebook = [
  '---',
  'transcripts: intervjuer/*.md',
  'min_participants: 2',
  '---',
  '',
  '# 1 Gemensamt',
  '',
  '- #ramar: Ramen.',
  '',
  '## 1.1 Kontraktet',
  '',
  '### 1.1.1 Djupare',
  '',
  '- #kontrakt: Överenskommelser. Aliases: plattform, osäkerhet',
  '',
  '# 2 Skillnader',
  '',
  '- #förtroende: Tillit.',
  '- #tillit/inre: Inre tillit.',
  '',
].join('\n');

type Step =
  | { kind: 'write'; path: number; participant: number; text: string }
  | { kind: 'type'; path: number; at: number; remove: number; insert: string }
  | { kind: 'remove'; path: number }
  | { kind: 'codebook'; which: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      path: fc.nat(paths.length - 1),
      participant: fc.nat(2),
      text: transcriptText.map((t) => t.text),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), path: fc.nat(paths.length - 1) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('codebook' as const), which: fc.nat(1) }) },
  {
    // Typing in a transcript open in an editor: the index gets the edit and parses only the edited lines.
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      path: fc.nat(paths.length - 1),
      at: fc.nat(),
      remove: fc.nat(3),
      insert: fc.constantFrom(
        'a',
        ' ',
        'ö',
        '[',
        ']',
        '{#ramar}',
        ']{#kontrakt}',
        '\n',
        '**R2:** ',
        '#',
        '}',
        '',
      ),
    }),
  },
);

/** A transcript under one of three participants (R3 without front matter: attributed to the file name). */
function withParticipant(text: string, participant: number): string {
  const body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  return participant === 2 ? body : `---\nparticipant: R${participant + 1}\n---\n${body}`;
}

/** Everything the counts feed, in a form that does not depend on the order counts grew in. */
function observe(index: ProjectIndex) {
  const totals = index.totals();
  const tally = (t: { segments: number; participants: ReadonlyMap<string, number> }) => [
    t.segments,
    [...t.participants].sort(),
  ];
  const codebook = index.codebook;
  const queries = [
    {},
    { offset: 2, limit: 3 },
    ...(codebook?.themes ?? []).map((theme) => ({ theme: theme.number, limit: 2, offset: 1 })),
    ...['kontrakt', 'ramar', 'förtroende', 'tillit/inre', 'osäkerhet'].map((code) => ({ code, limit: 2 })),
    { theme: '1', code: 'kontrakt' },
    { text: 'och' },
  ];
  return {
    codes: [...totals.codes]
      .filter(([, t]) => t.segments > 0)
      .map(([name, t]) => [name, tally(t)])
      .sort(),
    themes: totals.themes.map(tally),
    overlap: [...index.themeOverlap().shared].sort(),
    pairs: codeCooccurrence(index),
    findings: projectFindings(index)
      .map((f) => JSON.stringify(f))
      .sort(),
    tree: themeTree(index),
    matrix: participantThemeMatrix(index),
    quotes: queries.map((query) => findQuotes(index, query)),
  };
}

/** Makes one step to the files and to every index. */
function applyStep(s: Step, files: Map<string, string>, indexes: ProjectIndex[]): void {
  if (s.kind === 'type') {
    const path = paths[s.path] as string;
    const before = files.get(path);
    if (before === undefined) return;
    const start = Math.min(before.length, s.at % (before.length + 1));
    const end = Math.min(before.length, start + s.remove);
    const text = before.slice(0, start) + s.insert + before.slice(end);
    files.set(path, text);
    const edit = { start, end, text: s.insert };
    for (const index of indexes) index.update(`${root}/${path}`, text, { open: true, edit });
  } else if (s.kind === 'write') {
    const path = paths[s.path] as string;
    const text = withParticipant(s.text, s.participant);
    files.set(path, text);
    for (const index of indexes) index.update(`${root}/${path}`, text);
  } else if (s.kind === 'remove') {
    const path = paths[s.path] as string;
    files.delete(path);
    for (const index of indexes) index.remove(`${root}/${path}`);
  } else {
    const text = s.which === 0 ? codebookForPool : otherCodebook;
    files.set('codebook.md', text);
    for (const index of indexes) index.update(`${root}/codebook.md`, text);
  }
}

function fresh(files: Map<string, string>, options = {}): ProjectIndex {
  const index = new ProjectIndex(root, options);
  const codebook = files.get('codebook.md');
  if (codebook !== undefined) index.update(`${root}/codebook.md`, codebook);
  for (const [path, text] of files) if (path !== 'codebook.md') index.update(`${root}/${path}`, text);
  return index;
}

describe('incremental counts', () => {
  it('equal a full recomputation after any sequence of edits, parsed or re-parsed on demand', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const files = new Map<string, string>([['codebook.md', codebookForPool]]);
        const incremental = fresh(files);
        const bounded = fresh(files, { parsedTranscripts: 1 });
        for (const s of steps) {
          applyStep(s, files, [incremental, bounded]);
          const expected = observe(fresh(files));
          expect(observe(incremental)).toEqual(expected);
          expect(observe(bounded)).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('count a transcript opened in steps as one put in at once, also when the codebook changed meanwhile', () => {
    fc.assert(
      fc.property(
        transcriptText,
        fc.nat(2),
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        fc.array(step, { maxLength: 4 }),
        (generated, participant, stepChars, changeCodebook, after) => {
          const files = new Map<string, string>([
            ['codebook.md', codebookForPool],
            ['intervjuer/r2.md', withParticipant(generated.text, (participant + 1) % 3)],
          ]);
          const index = fresh(files);
          const path = paths[0] as string;
          const text = withParticipant(generated.text, participant);
          const steps = index.prepareOpen(`${root}/${path}`, text, stepChars);
          let prepared = steps.next();
          let taken = 0;
          while (!prepared.done) {
            // Nothing is in the index until the prepared transcript is put in.
            expect(index.isTranscript(`${root}/${path}`)).toBe(false);
            if (changeCodebook && taken++ === 0) applyStep({ kind: 'codebook', which: 1 }, files, [index]);
            prepared = steps.next();
          }
          index.update(`${root}/${path}`, text, { open: true, prepared: prepared.value });
          files.set(path, text);
          expect(observe(index)).toEqual(observe(fresh(files)));
          // Typing in it afterwards patches the summary it was opened with.
          for (const s of after) {
            applyStep(s, files, [index]);
            expect(observe(index)).toEqual(observe(fresh(files)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('restored from persisted counts equal a full recomputation, whatever changed in between', () => {
    const encoder = new TextEncoder();
    const saved = fc.record({ text: transcriptText.map((t) => t.text), participant: fc.nat(2) });
    // What became of each transcript before the restart: the last one was open, unsaved, when the index was written.
    const fate = fc.constantFrom('kept', 'changed', 'gone', 'open');
    fc.assert(
      fc.property(
        fc.array(saved, { minLength: paths.length, maxLength: paths.length }),
        fc.array(fate, { minLength: paths.length, maxLength: paths.length }),
        saved,
        fc.nat(1),
        fc.array(step, { maxLength: 4 }),
        (texts, fates, changed, which, steps) => {
          const files = new Map<string, string>([['codebook.md', codebookForPool]]);
          for (const [i, t] of texts.entries())
            files.set(paths[i] as string, withParticipant(t.text, t.participant));
          const writer = fresh(files, { parsedTranscripts: 1 });
          const unsaved = `${root}/${paths[paths.length - 1]}`;
          const counted = observe(writer);
          // Through the persisted index's line, as a later process reads it.
          const persisted = readCounts(countsLine(writer.persistedCounts((uri) => uri !== unsaved)));
          if (!persisted) throw new Error('the counts do not read back');
          // Taking out what is not persisted leaves the live counts as they were.
          expect(observe(writer)).toEqual(counted);
          // The restart, with the codebook as it is now.
          files.set('codebook.md', which === 0 ? codebookForPool : otherCodebook);
          const index = new ProjectIndex(root, { parsedTranscripts: 1 });
          index.update(`${root}/codebook.md`, files.get('codebook.md') as string);
          const kept: { uri: string; bytes: Uint8Array; summary: TranscriptSummary }[] = [];
          const dropped: TranscriptSummary[] = [];
          const parse: string[] = [];
          paths.forEach((path, i) => {
            const uri = `${root}/${path}`;
            const summary = writer.summary(uri) as TranscriptSummary;
            const what = uri === unsaved ? 'unsaved' : fates[i];
            if (what === 'kept') {
              kept.push({ uri, bytes: encoder.encode(files.get(path)), summary });
              return;
            }
            if (what !== 'unsaved') dropped.push(summary);
            if (what === 'gone') files.delete(path);
            else if (what === 'unsaved') parse.push(uri);
            else {
              files.set(path, withParticipant(changed.text, changed.participant));
              if (what === 'open') index.update(uri, files.get(path) as string, { open: true });
              else parse.push(uri);
            }
          });
          const restored = index.restore(persisted, kept, dropped);
          expect(restored).toBe(which === 0);
          if (!restored)
            for (const { uri, bytes, summary } of kept) index.updateFromSummary(uri, bytes, summary);
          for (const uri of parse) index.update(uri, files.get(uri.slice(root.length + 1)) as string);
          expect(observe(index)).toEqual(observe(fresh(files)));
          // Contributions not computed at the restart are computed when a change needs them.
          for (const s of steps) {
            applyStep(s, files, [index]);
            expect(observe(index)).toEqual(observe(fresh(files)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('records nothing when an edit changes no count, and names what changed otherwise', () => {
    const index = new ProjectIndex(root);
    index.update(`${root}/codebook.md`, codebookForPool);
    const uri = `${root}/intervjuer/r1.md`;
    index.update(uri, '---\nparticipant: R1\n---\n[Vi ses]{#kontrakt} och [sen]{#ramar}\n');
    const counts = index.countsVersion;
    const version = index.version;
    index.update(uri, '---\nparticipant: R1\n---\n[Vi ses varje vecka]{#kontrakt} och [sen]{#ramar}\n');
    expect(index.countsVersion).toBe(counts);
    expect(index.changesSince(version)).toMatchObject({ complete: true, membership: false });
    expect(index.changesSince(version).codes.size).toBe(0);

    index.update(uri, '---\nparticipant: R1\n---\n[Vi ses varje vecka]{#kontrakt} och [sen]{#förtroende}\n');
    const changes = index.changesSince(version);
    expect(changes.complete).toBe(true);
    // Only what moved: #kontrakt's count stayed.
    expect([...changes.codes].sort()).toEqual(['förtroende', 'ramar']);
    expect([...changes.participants]).toEqual(['R1']);
    expect(changes.membership).toBe(false);

    index.update(`${root}/codebook.md`, `${codebookForPool}\n# 3 Nytt\n`);
    expect(index.changesSince(version).complete).toBe(false);
  });
});
