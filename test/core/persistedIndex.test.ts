import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countsLine,
  entryLine,
  headerLine,
  nameTable,
  PERSISTED_INDEX_VERSION,
  readCounts,
  readEntry,
  readHeader,
} from '../../server/src/core/persistedIndex';
import { ProjectIndex } from '../../server/src/core/projectIndex';
import { summarize, type TranscriptSummary } from '../../server/src/core/summary';
import { parseTranscript } from '../../server/src/core/transcript';
import { codebookForPool, transcriptText } from '../helpers/transcripts';

const root = 'file:///studie';
const text = [
  '---',
  'participant: R5',
  'label: Respondent 5',
  'attributes:',
  '  yrke: läkare',
  '  yrkesår: 25',
  '---',
  '',
  '**R5:** [I kontraktet så formulerar vi ju]{#kontrakt #ramar "viktigt"} och sen [paus] {#förtroende>}mer',
  'text{<#förtroende} och [en tagg]{kod} och [#a]{#a #a}.',
  '',
].join('\n');

function summary(source = text) {
  return summarize(parseTranscript(`${root}/intervjuer/r5.md`, source));
}

/** A line written and read with a name table of the summary's names, after two names of other lines. */
function line(original: TranscriptSummary, hash = 'abc'): string {
  const entry = { hash, uri: `${root}/intervjuer/r5.md`, summary: original };
  return entryLine(entry, nameTable({ ...emptyCounts, names: ['annan', 'tredje'] }, [entry]));
}

const emptyCounts = { participants: [], names: [], codes: [], themes: [], own: [], shared: [], pairs: [] };

function read(text: string, original: TranscriptSummary) {
  return readEntry(text, ['annan', 'tredje', ...new Set(original.names)]);
}

describe('persisted index lines', () => {
  it('give back the summary they were written from', () => {
    const original = summary();
    expect(original.problems.length).toBeGreaterThan(0);
    const entry = read(line(original), original);
    expect(entry?.hash).toBe('abc');
    expect(entry?.summary).toEqual(original);
    // A name the table does not hold: not this project's line.
    expect(readEntry(line(original), ['annan'])).toBeUndefined();
  });

  it('give back any transcript summary', () => {
    fc.assert(
      fc.property(transcriptText, ({ text: source }) => {
        const original = summary(source);
        expect(read(line(original, 'h'), original)?.summary).toEqual(original);
      }),
      { numRuns: 200 },
    );
  });

  it('are refused when damaged, never trusted or thrown on', () => {
    const original = summary();
    const written = line(original);
    fc.assert(
      fc.property(
        fc.nat(written.length - 1),
        fc.constantFrom('', '9', '-', '"', ']', '[', '{', ',', 'x', 'A', '/'),
        (at, insert) => {
          const damaged = written.slice(0, at) + insert + written.slice(at + 1);
          const entry = read(damaged, original);
          if (entry === undefined) return;
          // Whatever still reads must be a well-formed summary: every index in range.
          const { names, codeSets, segments, uses } = entry.summary;
          for (const set of codeSets) for (const name of set) expect(name).toBeLessThan(names.length);
          for (let i = 2; i < segments.length; i += 3) expect(segments[i]).toBeLessThan(codeSets.length);
          for (let i = 3; i < uses.length; i += 5) expect(uses[i]).toBeLessThan(names.length);
        },
      ),
      { numRuns: 2000 },
    );
    for (const bad of [
      '',
      'null',
      '[]',
      '{}',
      written.replace('"malformed-tag"', '"no-such-rule"'),
      written.replace(/^(\["abc","[^"]*",null,null,)\d+/, '$1-1'),
      written.replace(/^(\["abc","[^"]*",)null/, '$1[1,2]'),
      written.replace('"yrke"', '"__proto__"'),
    ]) {
      expect(read(bad, original)).toBeUndefined();
    }
  });

  it('have a header that names the format, version and project', () => {
    const header = headerLine(root, 3, 'f'.repeat(40));
    expect(readHeader(header, root)).toMatchObject({ entries: 3, version: PERSISTED_INDEX_VERSION });
    expect(readHeader(`${header}   `, root)).toBeDefined();
    expect(readHeader(header, 'file:///annan')).toBeUndefined();
    expect(
      readHeader(header.replace(`"version":${PERSISTED_INDEX_VERSION}`, '"version":0'), root),
    ).toBeUndefined();
    expect(readHeader(header.replace('kodkarta-index', 'något-annat'), root)).toBeUndefined();
    expect(readHeader('{"format":', root)).toBeUndefined();
  });
});

describe('persisted counts', () => {
  const index = new ProjectIndex(root);
  index.update(`${root}/codebook.md`, codebookForPool);
  index.update(`${root}/intervjuer/r5.md`, text);
  index.update(`${root}/intervjuer/r6.md`, text.replace('R5', 'R6').replace('#ramar', '#förtroende'));
  const persisted = index.persistedCounts(() => true);
  const line = countsLine(persisted);
  const plain = (counts: NonNullable<ReturnType<typeof readCounts>>['counts']) =>
    JSON.parse(
      JSON.stringify(counts, (_, value) => (value instanceof Int32Array ? Array.from(value) : value)),
    );

  it('give back the counts they were written from', () => {
    expect(persisted.counts.names.length).toBeGreaterThan(2);
    expect(persisted.counts.pairs.length).toBeGreaterThan(0);
    const read = readCounts(line);
    expect(read?.structure).toBe(persisted.structure);
    expect(read && plain(read.counts)).toEqual(plain(persisted.counts));
  });

  it('are refused when damaged, never trusted or thrown on', () => {
    fc.assert(
      fc.property(
        fc.nat(line.length - 1),
        fc.constantFrom('', 'A', '/', '-', '"', ']', '[', '{', ',', '!'),
        (at, insert) => {
          const read = readCounts(line.slice(0, at) + insert + line.slice(at + 1));
          if (read === undefined) return;
          // Whatever still reads must be well-formed: every index in range.
          const { participants, names, codes, themes, own, shared, pairs } = read.counts;
          expect(codes.length).toBe(names.length);
          expect(own.length).toBe(themes.length);
          for (const list of [...codes, ...themes])
            for (let i = 0; i < list.length; i += 2) expect(list[i]).toBeLessThan(participants.length);
          for (let i = 0; i < shared.length; i++)
            if (i % 3 !== 2) expect(shared[i]).toBeLessThan(themes.length);
          for (let i = 0; i < pairs.length; i++) if (i % 3 !== 2) expect(pairs[i]).toBeLessThan(names.length);
        },
      ),
      { numRuns: 2000 },
    );
    expect(readCounts('')).toBeUndefined();
    expect(readCounts('{}')).toBeUndefined();
    expect(readCounts(line.replace('"own":"', '"own":"!'))).toBeUndefined();
  });
});
