import { describe, expect, it } from 'vitest';
import { codeCooccurrence } from '../../server/src/core/analyses/cooccurrence';
import { fixtureDir, indexFiles, loadFixture } from '../helpers/project';

function transcript(body: string): string {
  return `---\nparticipant: R1\n---\n\n${body}\n`;
}

describe('codeCooccurrence', () => {
  it('counts codes on one passage, nested passages and overlapping passages, most frequent first', () => {
    expect(codeCooccurrence(loadFixture(fixtureDir('study')))).toEqual([
      { a: 'närhet', b: 'tillit', count: 2 },
      { a: 'arvode', b: 'kontrakt', count: 1 },
    ]);
  });

  it('counts every pair of codes on one passage once, each pair in name order', () => {
    const index = indexFiles({ 'r1.md': transcript('[text]{#c #a #b}') });
    expect(codeCooccurrence(index)).toEqual([
      { a: 'a', b: 'b', count: 1 },
      { a: 'a', b: 'c', count: 1 },
      { a: 'b', b: 'c', count: 1 },
    ]);
  });

  it('never pairs a code with itself, nor with its own alias', () => {
    const index = indexFiles({
      'codebook.md': '# A\n- #kontrakt: K. Aliases: plattform\n',
      'r1.md': transcript('[yttre [inre]{#kontrakt} yttre]{#kontrakt #plattform}'),
    });
    expect(codeCooccurrence(index)).toEqual([]);
  });

  it('does not pair passages that only touch or lie apart', () => {
    const index = indexFiles({ 'r1.md': transcript('[ett]{#a}[två]{#b} och [tre]{#c}') });
    expect(codeCooccurrence(index)).toEqual([]);
  });

  it('does not pair passages of different transcripts', () => {
    const index = indexFiles({ 'r1.md': transcript('[ett]{#a}'), 'r2.md': transcript('[ett]{#b}') });
    expect(codeCooccurrence(index)).toEqual([]);
  });

  it('adds up over transcripts and sorts ties by name', () => {
    const index = indexFiles({
      'r1.md': transcript('[a]{#x #y} [b]{#p #q}'),
      'r2.md': transcript('[c [d]{#y} c]{#x}'),
    });
    expect(codeCooccurrence(index)).toEqual([
      { a: 'x', b: 'y', count: 2 },
      { a: 'p', b: 'q', count: 1 },
    ]);
  });
});
