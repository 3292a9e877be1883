import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entryLine,
  headerLine,
  PERSISTED_INDEX_VERSION,
  readEntry,
  readHeader,
} from '../../server/src/core/persistedIndex';
import { summarize } from '../../server/src/core/summary';
import { parseTranscript } from '../../server/src/core/transcript';
import { transcriptText } from '../helpers/transcripts';

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

describe('persisted index lines', () => {
  it('give back the summary they were written from', () => {
    const original = summary();
    expect(original.problems.length).toBeGreaterThan(0);
    const read = readEntry(entryLine({ hash: 'abc', summary: original }));
    expect(read?.hash).toBe('abc');
    expect(read?.summary).toEqual(original);
  });

  it('give back any transcript summary', () => {
    fc.assert(
      fc.property(transcriptText, ({ text: source }) => {
        const original = summary(source);
        expect(readEntry(entryLine({ hash: 'h', summary: original }))?.summary).toEqual(original);
      }),
      { numRuns: 200 },
    );
  });

  it('are refused when damaged, never trusted or thrown on', () => {
    const line = entryLine({ hash: 'abc', summary: summary() });
    fc.assert(
      fc.property(
        fc.nat(line.length - 1),
        fc.constantFrom('', '9', '-', '"', ']', '[', '{', ',', 'x'),
        (at, insert) => {
          const damaged = line.slice(0, at) + insert + line.slice(at + 1);
          const read = readEntry(damaged);
          if (read === undefined) return;
          // Whatever still reads must be a well-formed summary: every index in range.
          const { names, codeSets, segments, uses } = read.summary;
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
      line.replace('"malformed-tag"', '"no-such-rule"'),
      line.replace(/^\["abc",\d+/, '["abc",-1'),
      line.replace('"yrke"', '"__proto__"'),
    ]) {
      expect(readEntry(bad)).toBeUndefined();
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
